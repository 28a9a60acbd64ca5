import { rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import type { ProjectRoutes } from './routes.js';

/**
 * The proxy's control socket, in the store: one JSON request per connection,
 * one JSON line back (the shape of the supervisor's socket). Supervisors
 * publish their project's routes on it; `poly trust`, `doctor` and tests ask
 * for its status. The folder is the user's (0700), so only the user talks to it.
 */
export type ProxyRequest =
  | { cmd: 'status' }
  | { cmd: 'publish'; routes: ProjectRoutes }
  | { cmd: 'unpublish'; root: string; pid: number }
  | { cmd: 'stop' };

export interface ProxyStatus {
  pid: number;
  host: string;
  httpsPort: number;
  httpPort?: number;
  startedAt: number;
  projects: ProjectRoutes[];
}

export type ProxyResponse = { ok: true; status: ProxyStatus } | { ok: false; error: string };

export async function serveProxyControl(
  socket: string,
  handle: (request: ProxyRequest) => ProxyResponse,
): Promise<Server> {
  rmSync(socket, { force: true });
  const server = createServer((conn) => {
    let buffer = '';
    conn.setEncoding('utf8');
    conn.on('error', () => {});
    conn.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl === -1) return;
      let response: ProxyResponse;
      try {
        response = handle(JSON.parse(buffer.slice(0, nl)) as ProxyRequest);
      } catch (err) {
        response = { ok: false, error: (err as Error).message };
      }
      buffer = '';
      if (!conn.destroyed) conn.end(`${JSON.stringify(response)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  return server;
}

/** Sends one request; undefined when no proxy listens (no socket, or a stale one). */
export function proxyRequest(
  socket: string,
  request: ProxyRequest,
  timeoutMs = 5000,
): Promise<ProxyResponse | undefined> {
  return new Promise((resolve) => {
    const conn = connect(socket);
    let buffer = '';
    const timer = setTimeout(() => {
      conn.destroy();
      resolve(undefined);
    }, timeoutMs);
    conn.setEncoding('utf8');
    conn.on('connect', () => conn.write(`${JSON.stringify(request)}\n`));
    conn.on('data', (chunk: string) => {
      buffer += chunk;
    });
    conn.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buffer) as ProxyResponse);
      } catch {
        resolve(undefined);
      }
    });
    conn.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}
