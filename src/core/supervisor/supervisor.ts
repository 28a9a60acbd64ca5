import { join } from 'node:path';
import { PolyError } from '../errors.js';
import type { ServiceMode, ServiceSpec } from '../manifest/types.js';
import { stopWaves } from './graph.js';
import { ManagedService } from './managed-service.js';
import { type PlannedService, reconcile, type ServiceChange } from './reconcile.js';
import { RotatingLog, type RotationOptions } from './rotating-log.js';
import type { ServiceRunner } from './runner.js';
import { isSettledBad, isSettledGood, type ServiceStatus, type SupervisorEvent } from './status.js';

/** Everything the supervisor needs, computed beforehand by src/services/up/up.ts. */
export interface SupervisorPlan {
  /** The services to run, in manifest order, dependencies included. */
  services: ServiceSpec[];
  /** The complete environment of each service. */
  envs: Record<string, Record<string, string>>;
  /**
   * The environment a `cmd` health check runs with, where it is not the
   * service's own (a container service's check runs on this machine).
   */
  checkEnvs?: Record<string, Record<string, string>>;
  ports: Record<string, number>;
  /** "node@20" per service, for display. */
  runtimeLabels: Record<string, string>;
  /**
   * What else decides how a service runs, beyond its spec, environment and
   * port (a container's base image and mounted toolchains): a change
   * restarts it on apply.
   */
  fingerprints?: Record<string, string>;
  /** Folder of the `<service>.log` files. */
  logDir: string;
  logRotation?: RotationOptions;
  runners: Partial<Record<ServiceMode, ServiceRunner>>;
}

export type SettleResult = { ok: true } | { ok: false; status: ServiceStatus };

interface Entry {
  service: ManagedService;
  planned: PlannedService;
  log: RotatingLog;
}

/**
 * Runs a set of services: each starts the moment all its dependencies are
 * healthy (independent ones in parallel), and they stop in reverse dependency
 * order. apply() brings the running set to a new plan. Core: never prints;
 * listeners get typed events.
 */
export class Supervisor {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(event: SupervisorEvent) => void>();
  private stopping: Promise<void> | undefined;
  /** The apply in progress, so applies and stop() run one after the other. */
  private applying: Promise<unknown> = Promise.resolve();

  constructor(plan: SupervisorPlan) {
    const planned = plannedServices(plan);
    for (const p of Object.values(planned)) runnerFor(plan, p.spec);
    for (const [name, p] of Object.entries(planned)) this.entries.set(name, this.entry(plan, p));
  }

  on(listener: (event: SupervisorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  status(): ServiceStatus[] {
    return [...this.entries.values()].map((e) => e.service.status());
  }

  recentLines(name: string): string[] {
    return this.entries.get(name)?.service.recentLines() ?? [];
  }

  /** What runs now, as plans describe it (what the next apply compares against). */
  planned(): Record<string, PlannedService> {
    return Object.fromEntries([...this.entries].map(([name, e]) => [name, e.planned]));
  }

  /** Starts every service as soon as its dependencies are healthy. Returns at once. */
  start(): void {
    for (const name of this.names()) this.launch(name);
  }

  /**
   * Brings the running services to `plan` (see reconcile()): stops the
   * changed and removed ones (dependants first), then starts the changed and
   * new ones as soon as their dependencies are healthy. Kept services run on
   * untouched; the ones outside `scope` too. Resolves with what it did once
   * the new instances are launched; settled() tells when they are healthy.
   * Nothing changes when it throws before stopping anything (a mode without runner).
   */
  apply(plan: SupervisorPlan, scope?: readonly string[]): Promise<ServiceChange[]> {
    const run = this.applying.then(() => this.applyNow(plan, scope));
    this.applying = run.catch(() => undefined);
    return run;
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
  async restart(name: string, reason?: string): Promise<void> {
    const service = this.entries.get(name)?.service;
    if (!service)
      throw new PolyError('UNKNOWN_SERVICE', `service "${name}" is not running under this supervisor`, {
        hint: `Running: ${this.names().join(', ')}.`,
      });
    await service.restart(reason);
    await this.settled([name]);
  }

  /** Stops everything, dependants first. Safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.applying;
      await this.stopServices(this.names());
      for (const entry of this.entries.values()) entry.log.close();
    })();
    return this.stopping;
  }

  private async applyNow(
    plan: SupervisorPlan,
    scope: readonly string[] | undefined,
  ): Promise<ServiceChange[]> {
    this.assertNotStopping();
    const next = plannedServices(plan);
    const failed = [...this.entries].filter(([, e]) => e.service.status().state === 'failed');
    const changes = reconcile({
      current: this.planned(),
      next,
      ...(scope ? { scope } : {}),
      failed: failed.map(([name]) => name),
    });
    const action = new Map(changes.map((c) => [c.name, c.action]));
    const named = (...actions: string[]) =>
      changes.filter((c) => actions.includes(c.action)).map((c) => c.name);
    const launching = named('restarted', 'started');
    for (const name of launching) runnerFor(plan, (next[name] as PlannedService).spec);

    await this.stopServices(named('restarted', 'removed'));
    this.assertNotStopping();

    const entries = new Map<string, Entry>();
    for (const [name, planned] of Object.entries(next)) {
      const old = this.entries.get(name);
      const act = action.get(name);
      if (act === 'restarted' || act === 'started') entries.set(name, this.entry(plan, planned, old?.log));
      else if (old) {
        if (act === 'kept') {
          old.planned = planned;
          old.service.replaceEnv(planned.env);
        }
        entries.set(name, old);
      }
    }
    for (const [name, old] of this.entries) {
      if (entries.has(name)) continue;
      if (action.get(name) === 'removed') old.log.close();
      else entries.set(name, old);
    }
    this.entries.clear();
    for (const [name, entry] of entries) this.entries.set(name, entry);
    for (const name of launching) this.launch(name);
    return changes;
  }

  private entry(plan: SupervisorPlan, planned: PlannedService, log?: RotatingLog): Entry {
    const { spec, port, runtimeLabel } = planned;
    const entryLog = log ?? new RotatingLog(join(plan.logDir, `${spec.name}.log`), plan.logRotation);
    const service = new ManagedService({
      spec,
      runner: runnerFor(plan, spec),
      // Its own copy: replaceEnv() replaces it in place.
      env: { ...planned.env },
      ...(plan.checkEnvs?.[spec.name] ? { checkEnv: plan.checkEnvs[spec.name] } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(runtimeLabel ? { runtimeLabel } : {}),
      log: entryLog,
      emit: (event) => this.emit(event),
    });
    return { service, planned, log: entryLog };
  }

  /** Starts one service once its dependencies are healthy, unless it was replaced or everything stops meanwhile. */
  private launch(name: string): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    const deps = entry.planned.spec.dependsOn.filter((d) => this.entries.has(d));
    entry.service.waitFor(deps);
    void this.dependenciesReady(deps).then(() => {
      if (!this.stopping && this.entries.get(name) === entry) void entry.service.start();
    });
  }

  /**
   * Resolves once every dependency is healthy (or a one-shot job that
   * finished), looking at whichever instance runs it then: an apply may
   * replace a dependency while its dependants wait. Also resolves on stop.
   */
  private dependenciesReady(deps: string[]): Promise<void> {
    const ready = () =>
      this.stopping !== undefined ||
      deps.every((d) => {
        const dep = this.entries.get(d);
        return !dep || isSettledGood(dep.service.status().state);
      });
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.on((event) => {
        if (event.type === 'status' && ready()) {
          off();
          resolve();
        }
      });
    });
  }

  /** Stops the named services, dependants first. */
  private async stopServices(names: string[]): Promise<void> {
    const graph = Object.fromEntries([...this.entries].map(([name, e]) => [name, e.planned.spec]));
    for (const wave of stopWaves(graph, names))
      await Promise.all(wave.map((name) => this.entries.get(name)?.service.stop()));
  }

  private assertNotStopping(): void {
    if (this.stopping)
      throw new PolyError('SUPERVISOR_STOPPING', 'the services are being stopped (poly down)', {
        hint: 'Run `poly up -d` again once `poly down` finished.',
      });
  }

  private emit(event: SupervisorEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function plannedServices(plan: SupervisorPlan): Record<string, PlannedService> {
  const out: Record<string, PlannedService> = {};
  for (const spec of plan.services) {
    const port = plan.ports[spec.name];
    const runtimeLabel = plan.runtimeLabels[spec.name];
    const fingerprint = plan.fingerprints?.[spec.name];
    out[spec.name] = {
      spec,
      env: plan.envs[spec.name] ?? {},
      ...(port !== undefined ? { port } : {}),
      ...(runtimeLabel ? { runtimeLabel } : {}),
      ...(fingerprint ? { fingerprint } : {}),
    };
  }
  return out;
}

function runnerFor(plan: SupervisorPlan, spec: ServiceSpec): ServiceRunner {
  const runner = plan.runners[spec.mode];
  if (!runner)
    throw new PolyError('NO_RUNNER', `service ${spec.name}: ${spec.mode} mode is not available`, {
      hint: `Set mode = "native" in [services.${spec.name}] or install the ${spec.mode} support.`,
    });
  return runner;
}
