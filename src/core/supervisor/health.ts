import { spawn } from 'node:child_process';
import type * as Http from 'node:http';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { mysqlReady } from '../databases/mariadb-wire.js';
import { postgresReady } from '../databases/postgres-wire.js';
import { postmasterBusy, postmasterPidFile } from '../databases/postmaster-status.js';
import { redisReady } from '../databases/valkey-wire.js';
import { probePublishedPort } from '../docker/published-port-probe.js';
import { type HealthCheck, type HealthTiming, startWindowMs } from '../manifest/types.js';
import { LOOPBACK } from './ports.js';
import type { ProbeWake } from './probe-wake.js';
import { NO_CHECK } from './status.js';

/**
 * One health check: resolves true when the service answered as healthy. Never
 * rejects. `signal` is the run's: a check still going when it aborts ends then.
 */
export type HealthProbe = (signal?: AbortSignal) => Promise<boolean>;

export interface ProbeTarget {
  check?: HealthCheck;
  port?: number;
  timing: HealthTiming;
  /** For `cmd` checks: the service's environment and folder. */
  env: Record<string, string>;
  cwd: string;
  /**
   * A container service's own port inside: a `tcp` check of that port goes
   * to the port published for it, never to the same number on the host.
   */
  containerPort?: number;
  /**
   * The port is a container's, published by Docker's proxy, which accepts
   * every connection at once: TCP checks use probePublishedPort instead.
   */
  published?: boolean;
}

/**
 * The probe for a service: its declared check, else "the port accepts a
 * connection" when it has a port, else none (healthy once up for NO_CHECK_GRACE_MS).
 */
export function healthProbe(target: ProbeTarget): HealthProbe | undefined {
  const { check, port, timing } = target;
  if (check?.kind === 'http' && port !== undefined) return () => httpProbe(port, check.path, timing.timeout);
  const tcp = target.published
    ? (p: number) => probePublishedPort(p, { timeoutMs: timing.timeout })
    : (p: number) => tcpProbe(p, timing.timeout);
  if (check?.kind === 'tcp') {
    const published =
      target.containerPort !== undefined && check.port === target.containerPort ? port : undefined;
    return () => tcp(published ?? check.port);
  }
  if (check?.kind === 'cmd')
    return (signal) => cmdProbe(check.cmd, target.env, target.cwd, timing.timeout, signal);
  if (check?.kind === 'postgres' && port !== undefined) {
    const { dataDir } = check;
    return async () =>
      !(dataDir && postmasterBusy(dataDir)) && postgresReady(port, check.user, 'postgres', timing.timeout);
  }
  if (check?.kind === 'redis' && port !== undefined) return () => redisReady(port, timing.timeout);
  if (check?.kind === 'mysql' && port !== undefined) return () => mysqlReady(port, timing.timeout);
  if (port !== undefined) return () => tcp(port);
  return undefined;
}

/** A file whose changes are worth a probe at once (see probe-wake.ts): a native PostgreSQL's postmaster.pid. */
export function healthWakeFile(check: HealthCheck | undefined): string | undefined {
  return check?.kind === 'postgres' && check.dataDir ? postmasterPidFile(check.dataDir) : undefined;
}

export function describeCheck(check: HealthCheck | undefined, port: number | undefined): string {
  if (check?.kind === 'http') return `GET ${check.path}`;
  if (check?.kind === 'tcp') return `tcp ${check.port}`;
  if (check?.kind === 'cmd') return `cmd ${check.cmd}`;
  if (check?.kind === 'postgres') return 'postgres handshake';
  if (check?.kind === 'redis') return 'redis PING';
  if (check?.kind === 'mysql') return 'mysql handshake';
  return port !== undefined ? `tcp ${port}` : NO_CHECK;
}

/** GET http://127.0.0.1:port/path; a 2xx or 3xx answer is healthy. */
export function httpProbe(port: number, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = nodeHttp().request(
      { host: LOOPBACK, port, path, method: 'GET', agent: false, timeout: timeoutMs },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 400);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

export function tcpProbe(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * `health = { cmd = "..." }`: a command line the user wrote, so it runs under
 * `sh -c` like `run` (passed whole, never assembled). Exit 0 is healthy; a
 * check that outlives its timeout, or its run (`signal`), is killed with its
 * process group: it runs detached, so it would outlive the supervisor too.
 */
export function cmdProbe(
  cmd: string,
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
  signal?: AbortSignal,
) {
  return new Promise<boolean>((resolve) => {
    if (signal?.aborted) return resolve(false);
    const child = spawn('/bin/sh', ['-c', cmd], { env, cwd, stdio: 'ignore', detached: true });
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {}
    };
    const timer = setTimeout(kill, timeoutMs);
    signal?.addEventListener('abort', kill, { once: true });
    const done = (healthy: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      resolve(healthy);
    };
    child.once('error', () => done(false));
    child.once('exit', (code) => done(code === 0));
  });
}

/** Probe delay during the first second of a start: a quick service is seen within ~25 ms. */
const QUICK_PROBE_MS = 25;
const QUICK_PHASE_MS = 1000;
/** docker compose's start_interval, quicker: how often a starting service is checked. */
export const DEFAULT_START_INTERVAL_MS = 500;

/**
 * Waits for the first healthy answer. During the first second probes come
 * every 25 ms, then the delay doubles up to `start_interval` (default 500 ms,
 * never more than `interval`), like compose's checks during start_period.
 * The service gets `start_period` (default interval * retries) in total.
 * Resolves false when that runs out or `signal` (the run's) aborts. Once
 * healthy, the caller checks every `interval`. A `wake` probes again as soon
 * as the service says it changed, between those probes.
 */
export async function waitUntilHealthy(
  probe: HealthProbe,
  timing: HealthTiming,
  signal: AbortSignal,
  wake?: ProbeWake,
): Promise<boolean> {
  const started = Date.now();
  const deadline = started + startWindowMs(timing);
  const cap = Math.min(timing.startInterval ?? DEFAULT_START_INTERVAL_MS, timing.interval);
  let wait = Math.min(QUICK_PROBE_MS, cap);
  while (!signal.aborted) {
    if (await probe(signal)) return !signal.aborted;
    if (Date.now() + wait > deadline) return false;
    await (wake ? wake.sleep(wait, signal) : sleep(wait, signal));
    if (Date.now() - started > QUICK_PHASE_MS) wait = Math.min(wait * 2, cap);
  }
  return false;
}

/**
 * The waits between health checks never hold the process: once its services
 * are stopped, a supervisor exits at once instead of sleeping out a web
 * service's next check (`interval`, 10 s by default), which `poly down` waited for.
 * With a signal it also ends early when the signal aborts.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    // An aborted run's watch ends at once instead of sleeping out its interval.
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms).unref();
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * node:http on the first HTTP probe: a supervisor of databases only never needs it, and its
 * start (until the services spawn) is on the way of every `poly up -d`.
 */
function nodeHttp(): typeof Http {
  return createRequire(import.meta.url)('node:http') as typeof Http;
}
