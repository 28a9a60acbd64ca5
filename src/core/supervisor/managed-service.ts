import { containerPortOf } from '../docker/service-container-spec.js';
import { type ServiceSpec, startWindowMs } from '../manifest/types.js';
import { busyPortNote } from './busy-port.js';
import { describeCheck, type HealthProbe, healthProbe, sleep, waitUntilHealthy } from './health.js';
import { alongside, type ImageHealthReader, imageHealthReader } from './image-health.js';
import type { RotatingLog } from './rotating-log.js';
import { runMarker } from './run-marker.js';
import {
  describeExit,
  type ExitStatus,
  type RunningService,
  type ServiceRunner,
  type StopOutcome,
} from './runner.js';
import {
  CRASH_LOOP_AFTER,
  IMAGE_HEALTHCHECK,
  type LineStream,
  NO_CHECK_GRACE_MS,
  restartDelay,
  type ServiceState,
  type ServiceStatus,
  STABLE_RUN_MS,
  type SupervisorEvent,
} from './status.js';

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

/** Only these get an http URL in `poly ps`: a gRPC or Redis port is no web page. */
function speaksHttp(spec: ServiceSpec): boolean {
  return spec.protocol === 'http' || (spec.protocol === undefined && spec.health?.kind === 'http');
}

/**
 * One service's life: start an instance through its runner, wait for health,
 * keep watching health, restart per policy with exponential backoff, stop.
 */
export class ManagedService {
  readonly name: string;
  private state: ServiceState = 'waiting';
  private message: string | undefined;
  private instance: RunningService | undefined;
  private generation = 0;
  private restarts = 0;
  private quickFailures = 0;
  private startedAt: number | undefined;
  private healthyAt: number | undefined;
  private lastExit: string | undefined;
  private readonly lines: string[] = [];
  private readonly probe: HealthProbe | undefined;
  private backoffTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private healthyWaiters: Array<() => void> = [];
  /** The current instance's image HEALTHCHECK status, when its image has one. */
  private imageHealth: string | undefined;
  /** The image's HEALTHCHECK is the service's check: it has no `health` of its own. */
  private imageCheck = false;

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
    const { spec, port } = this.o;
    return {
      name: this.name,
      state: this.state,
      mode: spec.mode,
      ...(this.o.runtimeLabel ? { runtime: this.o.runtimeLabel } : {}),
      ...(port !== undefined ? { port, address: `127.0.0.1:${port}` } : {}),
      ...(port !== undefined && speaksHttp(spec) ? { url: `http://127.0.0.1:${port}` } : {}),
      ...(this.instance?.pid !== undefined ? { pid: this.instance.pid } : {}),
      ...(this.instance && spec.mode === 'container' ? { containerId: this.instance.id } : {}),
      check: this.imageCheck ? IMAGE_HEALTHCHECK : describeCheck(spec.health, port),
      ...(this.imageHealth ? { imageHealth: this.imageHealth } : {}),
      restarts: this.restarts,
      // An instance that ended has no uptime (the next one gets its own).
      ...(this.instance && this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
      ...(this.healthyAt !== undefined ? { healthyAt: this.healthyAt } : {}),
      ...(this.lastExit ? { lastExit: this.lastExit } : {}),
      dependsOn: spec.dependsOn,
      ...(this.message ? { message: this.message } : {}),
      lastLines: this.lines.slice(-10),
    };
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
    if (this.state === 'waiting')
      this.set('waiting', deps.length ? `waiting for ${deps.join(', ')}` : undefined);
  }

  /** Resolves once the service is healthy, or (a one-shot job) exited with code 0. */
  whenHealthy(): Promise<void> {
    if (this.state === 'healthy' || this.state === 'exited') return Promise.resolve();
    return new Promise((resolve) => this.healthyWaiters.push(resolve));
  }

  async start(): Promise<void> {
    if (this.stopped) return;
    const generation = ++this.generation;
    this.healthyAt = undefined;
    this.imageHealth = undefined;
    this.set('starting', undefined);
    let instance: RunningService;
    const launchedAt = Date.now();
    // `poly logs` shows the lines after the last marker: a previous run's output is never taken for this one's.
    this.o.log.write(`${runMarker(launchedAt, this.restarts)}\n`);
    try {
      instance = await this.o.runner.start(this.o.spec, {
        env: this.o.env,
        ...(this.o.port !== undefined ? { port: this.o.port } : {}),
        cwd: this.o.spec.path,
        onLine: (line, stream) => this.line(line, stream),
        // A pull or build can take minutes: show how it goes while this start is still the current one.
        onProgress: (message) => {
          if (generation === this.generation && !this.stopped && this.state === 'starting')
            this.set('starting', message);
        },
      });
    } catch (err) {
      this.line((err as Error).message, 'poly');
      this.set('failed', (err as Error).message);
      return;
    }
    if (generation !== this.generation || this.stopped) {
      await instance.stop(this.o.spec.stopTimeout);
      return;
    }
    this.instance = instance;
    this.startedAt = launchedAt;
    this.message = undefined; // the image is ready: no more pull or build progress
    this.emitStatus();
    instance.exited.then((status) => this.onExit(generation, status));
    void this.watchHealth(generation, instance);
  }

  /** `reason` ("src/main.rs changed") goes to the log and the dashboard. */
  async restart(reason?: string): Promise<void> {
    this.clearBackoff();
    this.stopped = false;
    this.quickFailures = 0;
    const current = this.instance;
    this.generation++;
    if (reason) this.line(`restarting: ${reason}`, 'poly');
    if (current) {
      this.set('stopping', reason ? `restarting: ${reason}` : 'restarting');
      this.noteKill(await current.stop(this.o.spec.stopTimeout));
      // Its exit belongs to an old generation, which onExit ignores: let go of it here.
      if (this.instance === current) this.instance = undefined;
    }
    this.restarts++;
    await this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearBackoff();
    this.generation++;
    const current = this.instance;
    if (current) {
      this.set('stopping', undefined);
      this.noteKill(await current.stop(this.o.spec.stopTimeout));
    }
    this.instance = undefined;
    this.set('stopped', undefined);
  }

  /** A stop that needed SIGKILL says so in the log: the service may have lost work. */
  private noteKill(outcome: StopOutcome): void {
    if (!outcome.killed) return;
    const seconds = (this.o.spec.stopTimeout / 1000).toFixed(1);
    this.line(`did not stop within ${seconds} s of SIGTERM (stop_timeout): killed with SIGKILL`, 'poly');
  }

  private async watchHealth(generation: number, instance: RunningService): Promise<void> {
    // Ends with the instance: a stale check must not turn an exited service healthy or unhealthy.
    const current = () => generation === this.generation && !this.stopped && this.instance === instance;
    const image = await this.trackImageHealth(instance, current);
    if (!current()) return;
    const probe =
      this.imageCheck && image ? async () => (await image()) === 'healthy' : alongside(this.probe, image);
    if (!probe) {
      // Without a check, healthy means it stayed up: a service that exits at once is not.
      await sleep(NO_CHECK_GRACE_MS);
      if (current()) this.markHealthy();
      return;
    }
    const timing = this.o.spec.healthTiming;
    const ok = await waitUntilHealthy(probe, timing, () => !current());
    if (!current()) return;
    if (!ok) {
      const seconds = (startWindowMs(timing) / 1000).toFixed(1);
      this.set('unhealthy', `not healthy after ${seconds} s (${this.describeCheck()})`);
    } else this.markHealthy();
    // Keep checking while it runs; `retries` failures in a row make it unhealthy.
    // The engine already counted the image HEALTHCHECK's retries: its "unhealthy" is final.
    const retries = this.imageCheck ? 1 : timing.retries;
    let failures = 0;
    while (current()) {
      await sleep(timing.interval);
      if (!current()) return;
      const healthy = await probe();
      if (!current()) return;
      failures = healthy ? 0 : failures + 1;
      if (healthy && this.state !== 'healthy') this.markHealthy();
      else if (failures >= retries && this.state === 'healthy')
        this.set(
          'unhealthy',
          this.imageCheck ? this.describeCheck() : `health check failed ${failures} times in a row`,
        );
    }
  }

  /** Reads the image's HEALTHCHECK status once; a reader for the next reads when the image has one. */
  private async trackImageHealth(
    instance: RunningService,
    current: () => boolean,
  ): Promise<ImageHealthReader | undefined> {
    if (!instance.imageHealth) return undefined;
    let first = true;
    const read = imageHealthReader(instance, (health) => {
      if (!current()) return;
      this.imageHealth = health;
      if (!first) this.emitStatus();
    });
    const health = await read();
    first = false;
    if (!current()) return undefined;
    const imageCheck = health !== undefined && !this.o.spec.health;
    // One update with both: the status and what the check is.
    if (health !== undefined || imageCheck !== this.imageCheck) {
      this.imageCheck = imageCheck;
      this.emitStatus();
    }
    return health === undefined ? undefined : read;
  }

  private describeCheck(): string {
    if (this.imageCheck) return `${IMAGE_HEALTHCHECK}: ${this.imageHealth ?? 'unknown'}`;
    return describeCheck(this.o.spec.health, this.o.port);
  }

  private markHealthy(): void {
    this.healthyAt ??= Date.now();
    this.set('healthy', undefined);
    this.releaseWaiters();
  }

  private releaseWaiters(): void {
    const waiters = this.healthyWaiters;
    this.healthyWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private onExit(generation: number, status: ExitStatus): void {
    if (generation !== this.generation || this.stopped) return;
    this.instance = undefined;
    const ranFor = Date.now() - (this.startedAt ?? Date.now());
    this.lastExit = describeExit(status);
    const failed = status.code !== 0 || status.signal !== null;
    const policy = this.o.spec.restart;
    this.line(this.lastExit, 'poly');
    if (policy === 'no' || (policy === 'on-failure' && !failed)) {
      this.set(failed ? 'failed' : 'exited', this.lastExit);
      // A one-shot job (migrations, a build) that succeeded lets its dependants start.
      if (!failed) this.releaseWaiters();
      return;
    }
    this.quickFailures = ranFor >= STABLE_RUN_MS ? 1 : this.quickFailures + 1;
    const delay = restartDelay(this.quickFailures);
    const inLoop = this.quickFailures >= CRASH_LOOP_AFTER;
    const when = delay >= 1000 ? `${(delay / 1000).toFixed(1)} s` : `${delay} ms`;
    this.set(
      inLoop ? 'crash-loop' : 'backoff',
      inLoop
        ? `crash loop: ${this.lastExit}, ${this.quickFailures} times in a row; next try in ${when}`
        : `${this.lastExit}; restarting in ${when}`,
    );
    this.backoffTimer = setTimeout(() => {
      this.backoffTimer = undefined;
      if (generation !== this.generation || this.stopped) return;
      this.restarts++;
      void this.start();
    }, delay);
    void this.explainBusyPort(generation);
  }

  /** "address already in use": say in the status which process holds the port (poly ps shows it). */
  private async explainBusyPort(generation: number): Promise<void> {
    if (this.o.port === undefined || this.o.spec.mode !== 'native') return;
    const note = await busyPortNote(this.o.port, this.lines.slice(-10));
    if (!note || generation !== this.generation || this.stopped || this.instance) return;
    this.message = this.message ? `${this.message}; ${note}` : note;
    this.emitStatus();
  }

  private clearBackoff(): void {
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
  }

  private line(line: string, stream: LineStream): void {
    const text = stream === 'poly' ? `[poly] ${line}` : line;
    this.lines.push(text);
    if (this.lines.length > (this.o.keepLines ?? 200)) this.lines.shift();
    this.o.log.write(`${text}\n`);
    this.o.emit({ type: 'line', service: this.name, line: text, stream, at: Date.now() });
  }

  private set(state: ServiceState, message: string | undefined): void {
    this.state = state;
    this.message = message;
    this.emitStatus();
  }

  private emitStatus(): void {
    this.o.emit({ type: 'status', status: this.status() });
  }
}
