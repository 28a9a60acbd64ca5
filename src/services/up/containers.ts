import { join } from 'node:path';
import type { PolyContext } from '../../core/context.js';
import type { ContainerRunner } from '../../core/docker/container-service.js';
import type { ContainerWatchdog } from '../../core/docker/container-watchdog.js';
import type { HostForwarder, RelayPort } from '../../core/docker/host-forwarder.js';
import type { Manifest, ServiceSpec } from '../../core/manifest/types.js';
import { findInstalled, type InstalledToolchain } from '../../core/runtimes/installed.js';
import { LOCK_FILE, type StoreLayout } from '../../core/store/layout.js';
import { readLockfile } from '../../core/store/lockfile.js';
import type { RunningService, ServiceRunContext, ServiceRunner } from '../../core/supervisor/runner.js';

/**
 * The supervisor's container runner: one ContainerRunner (one Docker client,
 * one project network) per `poly up`, adapted to the ServiceRunner interface.
 * The Docker modules (dockerode) load only when a service runs in a container.
 */
export class SupervisorContainerRunner implements ServiceRunner {
  readonly mode = 'container' as const;
  private runnerPromise: Promise<ContainerRunner> | undefined;
  private found: InstalledToolchain[] | undefined;
  private watchdog: ContainerWatchdog | undefined;

  constructor(
    private readonly manifest: Manifest,
    private readonly ctx: PolyContext,
  ) {}

  runner(): Promise<ContainerRunner> {
    this.runnerPromise ??= import('../../core/docker/container-service.js').then(
      ({ ContainerRunner }) =>
        new ContainerRunner({
          env: this.ctx.env,
          host: this.ctx.host,
          project: {
            name: this.manifest.project.name,
            root: this.manifest.root,
            ...(this.manifest.project.baseImage ? { baseImage: this.manifest.project.baseImage } : {}),
          },
        }),
    );
    return this.runnerPromise;
  }

  /** Looked up once per `poly up`: what is installed does not change while it runs. */
  private toolchains(): InstalledToolchain[] {
    this.found ??= projectToolchains(this.manifest, this.ctx.layout);
    return this.found;
  }

  /** Relays gateway:listen -> 127.0.0.1:target for the native services containers call. */
  async forwardNativePorts(pairs: readonly RelayPort[]): Promise<HostForwarder | undefined> {
    if (pairs.length === 0) return undefined;
    return (await this.runner()).forwardNativePorts(pairs);
  }

  async start(spec: ServiceSpec, ctx: ServiceRunContext): Promise<RunningService> {
    const runner = await this.runner();
    const container = await runner.start(spec, {
      env: ctx.env,
      ...(ctx.port !== undefined ? { port: ctx.port } : {}),
      cwd: ctx.cwd,
      onLine: (line, stream) => ctx.onLine(line, stream),
      ...(ctx.onProgress ? { onProgress: (message: string) => ctx.onProgress?.(message) } : {}),
      toolchains: this.toolchains(),
    });
    // A killed supervisor must not leave it running (see container-watchdog.ts).
    this.watchdog ??= new (await import('../../core/docker/container-watchdog.js')).ContainerWatchdog(
      this.manifest.root,
    );
    this.watchdog.track(container.id, spec.stopTimeout);
    return {
      id: container.id.slice(0, 12),
      exited: container.exited.then((exit) => ({ code: exit.code, signal: exit.signal })),
      stop: async (timeoutMs) => {
        await container.stop(timeoutMs);
        // The engine answers a stop that ran out of time with SIGKILL: exit code 137.
        return { killed: (await container.exited).code === 137 };
      },
      imageHealth: () => container.imageHealth(),
    };
  }
}

/** The installed toolchains of the project's pins (poly.lock's versions first), mounted read-only. */
export function projectToolchains(manifest: Manifest, layout: StoreLayout): InstalledToolchain[] {
  const lock = readLockfile(join(manifest.root, LOCK_FILE));
  const found: InstalledToolchain[] = [];
  for (const pin of Object.values(manifest.runtimes)) {
    if (!pin) continue;
    const t = findInstalled(layout, pin, lock?.runtimes[pin.runtime]?.version);
    if (t) found.push(t);
  }
  return found;
}
