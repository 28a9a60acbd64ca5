import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A tiny HTTP server on 127.0.0.1 for install tests: route maps (in a
 * runtime's official layout, see official-layouts.ts) mounted under
 * prefixes, a log of every request, and injectable faults.
 */
export type Fault =
  | { kind: 'status'; status: number }
  /** Sends the full Content-Length, then only `bytes` of the body, then drops the connection. */
  | { kind: 'truncate'; bytes: number }
  /** Sends `bytes` of the body, then nothing more (the connection stays open). */
  | { kind: 'stall'; bytes: number }
  /** Sends the body in `chunk`-byte pieces with `delayMs` between them. */
  | { kind: 'slow'; chunk: number; delayMs: number }
  /** Serves these bytes instead of the route's. */
  | { kind: 'replace'; body: Buffer | string };

export interface TinyDistServer {
  url: string;
  /** Serves `routes` (path+query -> body) below `prefix` (e.g. "/node"). */
  mount(prefix: string, routes: Map<string, Buffer | string>): void;
  /** Applies `fault` to requests whose path (below the server root) matches, `times` times (default: always). */
  fault(match: string | RegExp, fault: Fault, times?: number): void;
  clearFaults(): void;
  /** Every request path (with query), in order. */
  hits: string[];
  hitCount(match: string | RegExp): number;
  close(): Promise<void>;
}

export async function startTinyDistServer(): Promise<TinyDistServer> {
  const mounts: { prefix: string; routes: Map<string, Buffer | string> }[] = [];
  let faults: { match: string | RegExp; fault: Fault; left: number }[] = [];
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  const matches = (m: string | RegExp, path: string) =>
    typeof m === 'string' ? path.includes(m) : m.test(path);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const pathname = decodeURIComponent(url.pathname);
    const full = `${pathname}${url.search}`;
    hits.push(full);
    const mount = mounts
      .filter((m) => pathname === m.prefix || pathname.startsWith(`${m.prefix}/`))
      .sort((a, b) => b.prefix.length - a.prefix.length)[0];
    const rest = mount ? full.slice(mount.prefix.length) || '/' : full;
    const restPath = mount ? pathname.slice(mount.prefix.length) || '/' : pathname;
    let body = mount ? (mount.routes.get(rest) ?? mount.routes.get(restPath)) : undefined;
    const active = faults.find((f) => f.left > 0 && matches(f.match, full));
    if (active) active.left--;
    const fault = active?.fault;
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'text/plain' }).end(`fault ${fault.status}\n`);
      return;
    }
    if (fault?.kind === 'replace') body = fault.body;
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
    res.writeHead(200, {
      'content-length': String(bytes.length),
      'content-type': 'application/octet-stream',
    });
    if (fault?.kind === 'truncate') {
      res.write(bytes.subarray(0, fault.bytes), () => res.socket?.destroy());
      return;
    }
    if (fault?.kind === 'stall') {
      res.write(bytes.subarray(0, fault.bytes));
      return;
    }
    if (fault?.kind === 'slow') {
      for (let at = 0; at < bytes.length; at += fault.chunk) {
        if (res.destroyed) return;
        res.write(bytes.subarray(at, at + fault.chunk));
        await new Promise((r) => setTimeout(r, fault.delayMs));
      }
      res.end();
      return;
    }
    res.end(bytes);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    mount(prefix, routes) {
      mounts.push({ prefix, routes });
    },
    fault(match, fault, times = Number.POSITIVE_INFINITY) {
      faults.push({ match, fault, left: times });
    },
    clearFaults() {
      faults = [];
    },
    hits,
    hitCount: (m) => hits.filter((h) => matches(m, h)).length,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
