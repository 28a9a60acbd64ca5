import type { HostForwarder } from '../core/docker/host-forwarder.js';
import { PolyError } from '../core/errors.js';
import type { SupervisorContainerRunner } from './up-containers.js';

/**
 * The relays gateway:P -> 127.0.0.1:P for the native services containers
 * call, one per port, so `poly up -d` can follow a changed set of native
 * ports without cutting the connections of the ports that stay.
 */
export class NativePortRelay {
  /** By port; undefined where the engine needs none (its host-gateway reaches 127.0.0.1). */
  private readonly relays = new Map<number, HostForwarder | undefined>();

  ports(): number[] {
    return [...this.relays.keys()];
  }

  /**
   * Relays the ports not relayed yet. All or nothing: when one cannot be
   * opened, the ones this call opened are closed again and the error thrown.
   */
  async open(ports: readonly number[], containers: SupervisorContainerRunner | undefined): Promise<void> {
    const opened: number[] = [];
    try {
      for (const port of ports) {
        if (this.relays.has(port)) continue;
        if (!containers)
          throw new PolyError(
            'RELAY_WITHOUT_DOCKER',
            `cannot relay port ${port}: no service runs in a container`,
            {
              hint: 'This is a bug in poly; restart the services with `poly down && poly up -d`.',
            },
          );
        this.relays.set(port, await containers.forwardNativePorts([port]));
        opened.push(port);
      }
    } catch (err) {
      await this.closePorts(opened);
      throw err;
    }
  }

  /** Closes the relays of the ports not in `ports`. */
  retain(ports: readonly number[]): Promise<void> {
    return this.closePorts(this.ports().filter((port) => !ports.includes(port)));
  }

  close(): Promise<void> {
    return this.retain([]);
  }

  private async closePorts(ports: readonly number[]): Promise<void> {
    const closing = ports.map((port) => {
      const relay = this.relays.get(port);
      this.relays.delete(port);
      return relay?.close();
    });
    await Promise.all(closing);
  }
}
