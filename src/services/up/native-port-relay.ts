import type { HostForwarder, RelayPort } from '../../core/docker/host-forwarder.js';
import { PolyError } from '../../core/errors.js';
import type { SupervisorContainerRunner } from './containers.js';

/**
 * The relays gateway:listen -> 127.0.0.1:target for the native services
 * containers call, one per native port, so `poly up -d` can follow a changed
 * set of native ports without cutting the connections of the ports that
 * stay, and keeps each relay's port (the containers' variables name it).
 */
export class NativePortRelay {
  /** By target port. */
  private readonly relays = new Map<number, { listen: number; forwarder: HostForwarder | undefined }>();

  ports(): RelayPort[] {
    return [...this.relays].map(([target, r]) => ({ listen: r.listen, target }));
  }

  /** Relay port by native port: what the next plan reuses. */
  mapping(): Record<number, number> {
    return Object.fromEntries([...this.relays].map(([target, r]) => [target, r.listen]));
  }

  /**
   * Relays the pairs not relayed yet. All or nothing: when one cannot be
   * opened, the ones this call opened are closed again and the error thrown.
   */
  async open(pairs: readonly RelayPort[], containers: SupervisorContainerRunner | undefined): Promise<void> {
    const opened: number[] = [];
    try {
      for (const pair of pairs) {
        const current = this.relays.get(pair.target);
        if (current?.listen === pair.listen) continue;
        if (current) await this.closePorts([pair.target]);
        if (!containers)
          throw new PolyError(
            'RELAY_WITHOUT_DOCKER',
            `cannot relay port ${pair.target}: no service runs in a container`,
            {
              hint: 'This is a bug in poly; restart the services with `poly down && poly up -d`.',
            },
          );
        this.relays.set(pair.target, {
          listen: pair.listen,
          forwarder: await containers.forwardNativePorts([pair]),
        });
        opened.push(pair.target);
      }
    } catch (err) {
      await this.closePorts(opened);
      throw err;
    }
  }

  /** Closes the relays whose native port is not in `pairs`. */
  retain(pairs: readonly RelayPort[]): Promise<void> {
    const keep = new Set(pairs.map((p) => p.target));
    return this.closePorts([...this.relays.keys()].filter((target) => !keep.has(target)));
  }

  close(): Promise<void> {
    return this.retain([]);
  }

  private async closePorts(targets: readonly number[]): Promise<void> {
    const closing = targets.map((target) => {
      const relay = this.relays.get(target);
      this.relays.delete(target);
      return relay?.forwarder?.close();
    });
    await Promise.all(closing);
  }
}
