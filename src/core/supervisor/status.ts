import type { ServiceMode } from '../manifest/types.js';

/**
 * waiting    for its dependencies to be healthy
 * starting   process started, health check not passed yet
 * healthy    passing its health check (or, without one, up for NO_CHECK_GRACE_MS)
 * unhealthy  running, but its health check fails
 * backoff    exited; restarts after a delay
 * crash-loop exited quickly several times in a row; still restarting, with growing delays
 * exited     ended with code 0 and its policy does not restart it
 * failed     ended and will not be restarted, or could not be started
 * stopping / stopped   on the way down
 */
export type ServiceState =
  | 'waiting'
  | 'starting'
  | 'healthy'
  | 'unhealthy'
  | 'backoff'
  | 'crash-loop'
  | 'exited'
  | 'failed'
  | 'stopping'
  | 'stopped';

export interface ServiceStatus {
  name: string;
  state: ServiceState;
  mode: ServiceMode;
  /** "node@20" from the manifest pin, when the service names a runtime. */
  runtime?: string;
  port?: number;
  /** http://127.0.0.1:<port>, for services that speak HTTP (an HTTP health check or protocol = "http"). */
  url?: string;
  /** 127.0.0.1:<port>: where the service answers on this machine. */
  address?: string;
  /** Its https name through poly's proxy (`poly ps`, the dashboard); not set by the supervisor itself. */
  publicUrl?: string;
  pid?: number;
  /** The container id (12 hex digits) of a container service. */
  containerId?: string;
  /** What the health check is: "GET /health", "tcp 5432", "cmd …", "image HEALTHCHECK", NO_CHECK. */
  check: string;
  /** The container image's own HEALTHCHECK status, when it has one: "starting" | "healthy" | "unhealthy". */
  imageHealth?: string;
  restarts: number;
  /** Epoch ms when the current instance started. */
  startedAt?: number;
  /** Epoch ms when the current instance first passed its health check. */
  healthyAt?: number;
  /** How the last instance ended: "exited with code 1". */
  lastExit?: string;
  dependsOn: string[];
  /** One line about the state: "waiting for db", "restarting in 2 s", the start error. */
  message?: string;
  /** The last lines the service printed (for crash loops and `poly ps`). */
  lastLines: string[];
}

/** `check` of a service without a health check of its own whose image has a HEALTHCHECK. */
export const IMAGE_HEALTHCHECK = 'image HEALTHCHECK';

export type LineStream = 'stdout' | 'stderr' | 'poly';

export type SupervisorEvent =
  | { type: 'status'; status: ServiceStatus }
  | { type: 'line'; service: string; line: string; stream: LineStream; at: number };

/** Delay before restart number `failures` (1-based) of a run of quick failures: 250 ms doubling, at most 30 s. */
export function restartDelay(failures: number): number {
  return Math.min(250 * 2 ** Math.max(0, failures - 1), 30_000);
}

/** An instance that ran this long counts as stable: the next failure starts the backoff over. */
export const STABLE_RUN_MS = 10_000;
/** A service without a health check is healthy once it has stayed up this long. */
export const NO_CHECK_GRACE_MS = 1000;
/** `check` of such a service, as `poly ps` shows it. */
export const NO_CHECK = `up for ${NO_CHECK_GRACE_MS / 1000} s`;
/** Quick failures in a row from which the service is shown as a crash loop. */
export const CRASH_LOOP_AFTER = 3;

/** States in which `poly up -d` stops waiting and reports the service as not started. */
export function isSettledBad(state: ServiceState): boolean {
  return state === 'failed' || state === 'crash-loop' || state === 'unhealthy';
}

/** States that count as up: healthy, or a one-shot job that finished with code 0. */
export function isSettledGood(state: ServiceState): boolean {
  return state === 'healthy' || state === 'exited';
}
