import { rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { isPolyError } from '../errors.js';
import type { ServiceChange } from './reconcile.js';
import type { ServiceStatus } from './status.js';
import type { SettleResult } from './supervisor.js';

/**
 * The supervisor's control channel: a unix socket in .poly/, one JSON request
 * per connection, answered with one JSON line. Any terminal in the project
 * can reach a running `poly up` (foreground or detached) through it.
 */
export type ControlRequest =
  | { cmd: 'ps' }
  | { cmd: 'wait'; services?: string[] }
  | { cmd: 'restart'; service: string }
  | ({ cmd: 'apply' } & ApplyRequest)
  | { cmd: 'down' };

/** `poly up -d` while the supervisor runs: read poly.toml again and bring the services to it. */
export interface ApplyRequest {
  /** The services named on the command line (with their dependencies); empty = all of poly.toml. */
  services: string[];
  /** `poly up -d --container`. */
  allContainers?: boolean;
}

export interface SupervisorInfo {
  pid: number;
  project: string;
  startedAt: number;
  detached: boolean;
  services: ServiceStatus[];
}

export type ControlResponse =
  | { ok: true; info?: SupervisorInfo; settled?: SettleResult; changes?: ServiceChange[] }
  | { ok: false; error: { code: string; message: string; hint?: string; exitCode?: number } };

export interface ControlHandlers {
  ps(): SupervisorInfo;
  /** Until the named services (default: all) are healthy or one is given up on. */
  wait(services?: string[]): Promise<SettleResult>;
  restart(service: string): Promise<void>;
  apply(request: ApplyRequest): Promise<ServiceChange[]>;
  down(): Promise<void>;
}

export async function serveControl(socket: string, handlers: ControlHandlers): Promise<Server> {
  rmSync(socket, { force: true });
  const server = createServer((conn) => {
    let buffer = '';
    conn.setEncoding('utf8');
    conn.on('error', () => {});
    conn.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl === -1) return;
      const raw = buffer.slice(0, nl);
      buffer = '';
      void answer(raw, handlers).then((response) => {
        if (!conn.destroyed) conn.end(`${JSON.stringify(response)}\n`);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  server.unref();
  return server;
}

async function answer(raw: string, handlers: ControlHandlers): Promise<ControlResponse> {
  try {
    const request = JSON.parse(raw) as ControlRequest;
    switch (request.cmd) {
      case 'ps':
        return { ok: true, info: handlers.ps() };
      case 'wait':
        return { ok: true, settled: await handlers.wait(names(request.services)), info: handlers.ps() };
      case 'restart':
        await handlers.restart(request.service);
        return { ok: true, info: handlers.ps() };
      case 'apply': {
        const services = names(request.services) ?? [];
        const changes = await handlers.apply({ services, allContainers: request.allContainers === true });
        return { ok: true, changes, info: handlers.ps() };
      }
      case 'down':
        await handlers.down();
        return { ok: true };
      default:
        return { ok: false, error: { code: 'CONTROL_UNKNOWN', message: `unknown request ${raw}` } };
    }
  } catch (err) {
    const e = err as Error;
    return {
      ok: false,
      error: {
        code: isPolyError(err) ? err.code : 'CONTROL_FAILED',
        message: e.message,
        ...(isPolyError(err) && err.hint ? { hint: err.hint } : {}),
        ...(isPolyError(err) ? { exitCode: err.exitCode } : {}),
      },
    };
  }
}

/** A list of service names from a request, or undefined when it holds none. */
function names(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.filter((v): v is string => typeof v === 'string');
}

/**
 * Sends one request. Resolves undefined when no supervisor listens (no socket,
 * or a stale one left by a killed supervisor).
 */
export function controlRequest(
  socket: string,
  request: ControlRequest,
  timeoutMs = 30_000,
): Promise<ControlResponse | undefined> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
    let buffer = '';
    let connected = false;
    const timer = setTimeout(() => {
      conn.destroy();
      reject(new Error(`the supervisor did not answer "${request.cmd}" within ${timeoutMs} ms`));
    }, timeoutMs);
    conn.setEncoding('utf8');
    conn.on('connect', () => {
      connected = true;
      conn.write(`${JSON.stringify(request)}\n`);
    });
    conn.on('data', (chunk: string) => {
      buffer += chunk;
    });
    conn.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buffer) as ControlResponse);
      } catch {
        resolve(undefined);
      }
    });
    conn.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!connected && ['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'].includes(err.code ?? '')) resolve(undefined);
      else reject(err);
    });
  });
}
