import type { ServiceMode, ServiceSpec } from '../manifest/types.js';

/**
 * How the supervisor runs one service. The supervisor owns everything around
 * the process (dependency order, ports, health checks, restarts, logs); a
 * runner only starts one instance and stops it. One runner per mode:
 * `native-runner.ts` runs `run` on this machine, the container runner runs it
 * in Docker. A runner never restarts anything itself: when an instance ends,
 * `exited` resolves and the supervisor decides what happens next.
 */
export interface ServiceRunner {
  readonly mode: ServiceMode;
  /**
   * Starts one instance of the service. Resolves once the process (or
   * container) exists; rejects with a PolyError when it cannot be started at
   * all (missing command, no Docker engine). Health is not the runner's job.
   */
  start(spec: ServiceSpec, ctx: ServiceRunContext): Promise<RunningService>;
}

export interface ServiceRunContext {
  /** The complete environment of the service (nothing else is inherited). */
  env: Record<string, string>;
  /** The port the service must listen on (also in env.PORT), when it has one. */
  port?: number;
  /** Absolute working directory. */
  cwd: string;
  /** Called once per complete output line, without the line break. */
  onLine(line: string, stream: 'stdout' | 'stderr'): void;
  /**
   * One line about preparing the instance before it exists ("pulling
   * postgres:16: 3/7 layers, 45.2/120.0 MB", "building image …"); each call
   * replaces the previous one. Runners with nothing to prepare never call it.
   */
  onProgress?(message: string): void;
}

export interface ExitStatus {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  /** Signal name (e.g. "SIGTERM"), or null. */
  signal: string | null;
}

export interface RunningService {
  /** A stable id for this instance: "pid:1234" natively, a container id in Docker. */
  id: string;
  /** The host pid of the service's main process, when there is one on this host. */
  pid?: number;
  /** Resolves once the instance has ended and all its output was delivered. Never rejects. */
  exited: Promise<ExitStatus>;
  /**
   * Ends the instance and everything it started: SIGTERM (or `docker stop`),
   * then SIGKILL after `timeoutMs`. Resolves once it has ended, saying
   * whether SIGKILL was needed. Safe to call twice.
   */
  stop(timeoutMs: number): Promise<StopOutcome>;
  /**
   * The image's own HEALTHCHECK status ("starting" | "healthy" | "unhealthy"),
   * undefined when the image has none. Only container runners have it.
   */
  imageHealth?(): Promise<string | undefined>;
}

export interface StopOutcome {
  /** Something outlived the stop timeout and was killed with SIGKILL. */
  killed: boolean;
}

export function describeExit(status: ExitStatus): string {
  return status.signal ? `killed by ${status.signal}` : `exited with code ${status.code}`;
}
