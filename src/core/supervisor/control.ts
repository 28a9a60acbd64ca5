import { rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { isPolyError } from '../errors.js';
import type { ServiceStatus } from './status.js';
import type { SettleResult } from './supervisor.js';

/**
 * The supervisor's control channel: a unix socket in .poly/, one JSON request
 * per connection, answered with one JSON line. Any terminal in the project
 * can reach a running `poly up` (foreground or detached) through it.
 */
export type ControlRequest =
  | { cmd: 'ps' }
  | { cmd: 'wait' }
  | { cmd: 'restart'; service: string }
  | { cmd: 'down' };

export interface SupervisorInfo {
  pid: number;
  project: string;
  startedAt: number;
  detached: boolean;
  services: ServiceStatus[];
}

export type ControlResponse =
  | { ok: true; info?: SupervisorInfo; settled?: SettleResult }
  | { ok: false; error: { code: string; message: string; hint?: string } };

export interface ControlHandlers {
  ps(): SupervisorInfo;
  wait(): Promise<SettleResult>;
  restart(service: string): Promise<void>;
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
        return { ok: true, settled: await handlers.wait(), info: handlers.ps() };
      case 'restart':
        await handlers.restart(request.service);
        return { ok: true, info: handlers.ps() };
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
      },
    };
  }
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
