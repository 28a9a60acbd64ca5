import type { Server } from 'node:net';
import { lineRequest, serveLineProtocol } from '../ipc/line-protocol.js';
import type { ProjectRoutes } from './routes.js';

/**
 * The proxy's control socket, in the store: one JSON request per connection,
 * one JSON line back (core/ipc/line-protocol.ts, as the supervisor's socket). Supervisors
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

export function serveProxyControl(
  socket: string,
  handle: (request: ProxyRequest) => ProxyResponse,
): Promise<Server> {
  return serveLineProtocol(socket, (line) => {
    let response: ProxyResponse;
    try {
      response = handle(JSON.parse(line) as ProxyRequest);
    } catch (err) {
      response = { ok: false, error: (err as Error).message };
    }
    return JSON.stringify(response);
  });
}

/** Sends one request; undefined when no proxy listens (no socket, a stale one, or no answer in time). */
export async function proxyRequest(
  socket: string,
  request: ProxyRequest,
  timeoutMs = 5000,
): Promise<ProxyResponse | undefined> {
  const answer = await lineRequest(socket, JSON.stringify(request), timeoutMs).catch(() => undefined);
  if (answer === undefined) return undefined;
  try {
    return JSON.parse(answer) as ProxyResponse;
  } catch {
    return undefined;
  }
}
