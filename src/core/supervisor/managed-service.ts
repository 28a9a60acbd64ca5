import { containerPortOf } from '../docker/service-container-spec.js';
import type { ServiceSpec } from '../manifest/types.js';
import { busyPortNote } from './busy-port.js';
import { type HealthProbe, healthProbe, healthWakeFile } from './health.js';
import { watchHealth } from './health-watch.js';
import type { RotatingLog } from './rotating-log.js';
import { runMarker } from './run-marker.js';
import type { ExitStatus, RunningService, ServiceRunner, StopOutcome } from './runner.js';
import {
  initialState,
  liveRun,
  type Phase,
  type Run,
  type ServiceEvent,
  type ServiceLife,
  transition,
} from './service-state.js';
import { describeServiceCheck, serviceStatus } from './service-status.js';
import type { LineStream, ServiceStatus, SupervisorEvent } from './status.js';

export interface ManagedServiceOptions {
  spec: ServiceSpec;
  runner: ServiceRunner;
  env: Record<string, string>;
  /** What a `cmd` health check runs with when it is not `env` (a container service's check runs here). */
  checkEnv?: Record<string, string>;
  port?: number;
  runtimeLabel?: string;
  log: RotatingLog;
  emit(event: SupervisorEvent): void;
  /** Lines kept in memory for crash reports and the dashboard. */
  keepLines?: number;
}

type Stopping = Extract<Phase, { kind: 'stopping' }>;

/**
 * One service's life: start an instance through its runner, wait for health,
 * keep watching health, restart per policy with exponential backoff, stop.
 * Where it is and what follows is service-state.ts's transition(); this class
 * does what the new state asks (launch, stop, schedule, watch) and feeds what
 * happens back as events. Each run has an AbortController, aborted as the
 * state lets go of the run: its checks, timers and progress end with it.
 */
export class ManagedService {
  readonly name: string;
  private life: ServiceLife = initialState();
  private readonly lines: string[] = [];
  private readonly probe: HealthProbe | undefined;

  constructor(private readonly o: ManagedServiceOptions) {
    this.name = o.spec.name;
    this.probe = healthProbe({
      ...(o.spec.health ? { check: o.spec.health } : {}),
      ...(o.port !== undefined ? { port: o.port } : {}),
      timing: o.spec.healthTiming,
      ...(o.spec.mode === 'container' && o.port !== undefined
        ? { containerPort: containerPortOf(o.spec, o.port) }
        : {}),
      env: o.checkEnv ?? o.env,
      cwd: o.spec.path,
      published: o.spec.mode === 'container',
    });
  }

  status(): ServiceStatus {
    const { spec, port, runtimeLabel } = this.o;
    return serviceStatus(this.life, {
      spec,
      ...(port !== undefined ? { port } : {}),
      ...(runtimeLabel ? { runtimeLabel } : {}),
      lines: this.lines,
    });
  }

  recentLines(): string[] {
    return [...this.lines];
  }

  /**
   * The environment of the next start, for a service `poly up -d` kept
   * running while peers came or went. Replaced in place: the health probe
   * (cmd checks) holds the same object.
   */
  replaceEnv(env: Record<string, string>): void {
    const current = this.o.env;
    for (const key of Object.keys(current)) delete current[key];
    Object.assign(current, env);
  }

  /** Marks the service as waiting for the named dependencies. */
  waitFor(deps: string[]): void {
    this.send({ type: 'wait', deps });
  }

  /** The first start, once its dependencies are healthy; nothing when it was started or stopped since. */
  async start(): Promise<void> {
    const run = new AbortController();
    if (this.send({ type: 'start', run, at: Date.now() })) await this.launch(run);
  }

  /** `reason` ("src/main.rs changed") goes to the log and the dashboard. */
  async restart(reason?: string): Promise<void> {
    if (reason) this.line(`restarting: ${reason}`, 'poly');
    const next = new AbortController();
    this.send({ type: 'restart', ...(reason ? { reason } : {}), next, at: Date.now() });
    await this.follow(next);
  }

  async stop(): Promise<void> {
    this.send({ type: 'stop' });
    await this.follow(undefined);
  }

  /** Does what the state now asks of a restart or stop: stop the instance, or launch `next`. */
  private async follow(next: Run | undefined): Promise<void> {
    const { phase } = this.life;
    if (phase.kind === 'stopping') await this.finishStop(phase);
    else if (next && this.isLaunching(next)) await this.launch(next);
  }

  private async finishStop(stopping: Stopping): Promise<void> {
    this.noteKill(await stopping.instance.stop(this.o.spec.stopTimeout));
    // A stop and a restart may both wait for the same instance: the first to see it end moves on.
    const next = new AbortController();
    const event: ServiceEvent = { type: 'stop-done', instance: stopping.instance, next, at: Date.now() };
    if (this.send(event) && this.isLaunching(next)) await this.launch(next);
  }

  private isLaunching(run: Run): boolean {
    const { phase } = this.life;
    return phase.kind === 'launching' && phase.run === run;
  }

  /** Starts the instance of `run`, which the state has just entered as launching. */
  private async launch(run: Run): Promise<void> {
    const { phase, history } = this.life;
    if (phase.kind !== 'launching' || phase.run !== run) return;
    // `poly logs` shows the lines after the last marker: a previous run's output is never taken for this one's.
    this.o.log.write(`${runMarker(phase.since, history.restarts)}\n`);
    let instance: RunningService;
    try {
      instance = await this.o.runner.start(this.o.spec, {
        env: this.o.env,
        ...(this.o.port !== undefined ? { port: this.o.port } : {}),
        cwd: this.o.spec.path,
        onLine: (line, stream) => this.line(line, stream),
        // A pull or build can take minutes: show how it goes while this start is still the current one.
        onProgress: (message) => {
          if (!run.signal.aborted) this.send({ type: 'progress', run, message });
        },
      });
    } catch (err) {
      this.line((err as Error).message, 'poly');
      this.send({ type: 'launch-failed', run, message: (err as Error).message });
      return;
    }
    // Stopped or restarted while it was starting: this instance is no one's.
    if (!this.send({ type: 'launched', run, instance })) {
      await instance.stop(this.o.spec.stopTimeout);
      return;
    }
    instance.exited.then((status) => this.onExit(run, status));
    const wakeFile = healthWakeFile(this.o.spec.health);
    void watchHealth({
      instance,
      signal: run.signal,
      probe: this.probe,
      ownCheck: this.o.spec.health !== undefined,
      timing: this.o.spec.healthTiming,
      ...(wakeFile ? { wakeFile } : {}),
      report: (finding, quiet) => this.send({ ...finding, run } as ServiceEvent, quiet),
      announce: () => this.emitStatus(),
      describeCheck: () => describeServiceCheck(this.life.history, this.o.spec, this.o.port),
    });
  }

  /** A stop that needed SIGKILL says so in the log: the service may have lost work. */
  private noteKill(outcome: StopOutcome): void {
    if (!outcome.killed) return;
    const seconds = (this.o.spec.stopTimeout / 1000).toFixed(1);
    this.line(`did not stop within ${seconds} s of SIGTERM (stop_timeout): killed with SIGKILL`, 'poly');
  }

  private onExit(run: Run, status: ExitStatus): void {
    const { restart: policy } = this.o.spec;
    const next = new AbortController();
    // The exit of an instance being stopped (or a stale run's) changes nothing.
    if (!this.send({ type: 'exited', run, status, at: Date.now(), policy, next }, true)) return;
    this.line(this.life.history.lastExit ?? '', 'poly');
    this.emitStatus();
    const { phase } = this.life;
    if (phase.kind !== 'backoff') return;
    const retry = phase.run;
    const timer = setTimeout(() => {
      if (this.send({ type: 'retry', run: retry, at: Date.now() })) void this.launch(retry);
    }, phase.delay);
    retry.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    void this.explainBusyPort(retry);
  }

  /** "address already in use": say in the status which process holds the port (poly ps shows it). */
  private async explainBusyPort(run: Run): Promise<void> {
    if (this.o.port === undefined || this.o.spec.mode !== 'native') return;
    const note = await busyPortNote(this.o.port, this.lines.slice(-10));
    if (note) this.send({ type: 'busy-port', run, note });
  }

  private line(line: string, stream: LineStream): void {
    const text = stream === 'poly' ? `[poly] ${line}` : line;
    this.lines.push(text);
    if (this.lines.length > (this.o.keepLines ?? 200)) this.lines.shift();
    this.o.log.write(`${text}\n`);
    this.o.emit({ type: 'line', service: this.name, line: text, stream, at: Date.now() });
  }

  /**
   * Applies one event. False when it changed nothing; otherwise the run the
   * state let go of is aborted and, unless `quiet`, the new status is sent.
   */
  private send(event: ServiceEvent, quiet = false): boolean {
    const before = this.life;
    const after = transition(before, event);
    if (after === before) return false;
    this.life = after;
    const run = liveRun(before.phase);
    if (run && run !== liveRun(after.phase)) run.abort();
    if (!quiet) this.emitStatus();
    return true;
  }

  private emitStatus(): void {
    this.o.emit({ type: 'status', status: this.status() });
  }
}
