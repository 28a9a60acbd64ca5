import { join } from 'node:path';
import { PolyError } from '../errors.js';
import type { ServiceMode, ServiceSpec } from '../manifest/types.js';
import { stopWaves } from './graph.js';
import { ManagedService } from './managed-service.js';
import { RotatingLog, type RotationOptions } from './rotating-log.js';
import type { ServiceRunner } from './runner.js';
import { isSettledBad, isSettledGood, type ServiceStatus, type SupervisorEvent } from './status.js';

/** Everything the supervisor needs, computed beforehand by src/services/up.ts. */
export interface SupervisorPlan {
  /** The services to run, in manifest order, dependencies included. */
  services: ServiceSpec[];
  /** The complete environment of each service. */
  envs: Record<string, Record<string, string>>;
  ports: Record<string, number>;
  /** "node@20" per service, for display. */
  runtimeLabels: Record<string, string>;
  /** Folder of the `<service>.log` files. */
  logDir: string;
  logRotation?: RotationOptions;
  runners: Partial<Record<ServiceMode, ServiceRunner>>;
}

export type SettleResult = { ok: true } | { ok: false; status: ServiceStatus };

/**
 * Runs a set of services: each starts the moment all its dependencies are
 * healthy (independent ones in parallel), and they stop in reverse dependency
 * order. Core: never prints; listeners get typed events.
 */
export class Supervisor {
  private readonly services = new Map<string, ManagedService>();
  private readonly logs: RotatingLog[] = [];
  private readonly listeners = new Set<(event: SupervisorEvent) => void>();
  private stopping: Promise<void> | undefined;

  constructor(private readonly plan: SupervisorPlan) {
    for (const spec of plan.services) {
      const runner = plan.runners[spec.mode];
      if (!runner)
        throw new PolyError('NO_RUNNER', `service ${spec.name}: ${spec.mode} mode is not available`, {
          hint: `Set mode = "native" in [services.${spec.name}] or install the ${spec.mode} support.`,
        });
      const log = new RotatingLog(join(plan.logDir, `${spec.name}.log`), plan.logRotation);
      this.logs.push(log);
      const port = plan.ports[spec.name];
      const label = plan.runtimeLabels[spec.name];
      this.services.set(
        spec.name,
        new ManagedService({
          spec,
          runner,
          env: plan.envs[spec.name] ?? {},
          ...(port !== undefined ? { port } : {}),
          ...(label ? { runtimeLabel: label } : {}),
          log,
          emit: (event) => this.emit(event),
        }),
      );
    }
  }

  on(listener: (event: SupervisorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  names(): string[] {
    return [...this.services.keys()];
  }

  status(): ServiceStatus[] {
    return [...this.services.values()].map((s) => s.status());
  }

  recentLines(name: string): string[] {
    return this.services.get(name)?.recentLines() ?? [];
  }

  /** Starts every service as soon as its dependencies are healthy. Returns at once. */
  start(): void {
    for (const spec of this.plan.services) {
      const service = this.services.get(spec.name) as ManagedService;
      const deps = spec.dependsOn.filter((d) => this.services.has(d));
      service.waitFor(deps);
      void Promise.all(deps.map((d) => (this.services.get(d) as ManagedService).whenHealthy())).then(() => {
        if (!this.stopping) void service.start();
      });
    }
  }

  /**
   * Resolves when every service is healthy, or as soon as one is given up on
   * (failed, crash loop, unhealthy at start, exited), with its status.
   */
  settled(names?: string[]): Promise<SettleResult> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        const all = this.status().filter((s) => !names || names.includes(s.name));
        const bad = all.find((s) => isSettledBad(s.state));
        if (bad) resolve({ ok: false, status: bad });
        else if (all.every((s) => isSettledGood(s.state))) resolve({ ok: true });
        else return false;
        return true;
      };
      if (check()) return;
      const off = this.on((event) => {
        if (event.type === 'status' && check()) off();
      });
    });
  }

  /** Restarts one service; resolves once it is healthy again (or given up on). */
  async restart(name: string): Promise<void> {
    const service = this.services.get(name);
    if (!service)
      throw new PolyError('UNKNOWN_SERVICE', `service "${name}" is not running under this supervisor`, {
        hint: `Running: ${this.names().join(', ')}.`,
      });
    await service.restart();
    await this.settled([name]);
  }

  /** Stops everything, dependants first. Safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const graph = Object.fromEntries(this.plan.services.map((s) => [s.name, s]));
      for (const wave of stopWaves(graph, this.names()))
        await Promise.all(wave.map((name) => this.services.get(name)?.stop()));
      for (const log of this.logs) log.close();
    })();
    return this.stopping;
  }

  private emit(event: SupervisorEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
