/**
 * The HTTP side of the mirror: routes a request to the runtime mounted on its path prefix,
 * streams the answer (GET and HEAD, single byte ranges), applies injected faults and logs
 * every request. Knows nothing of runtimes: mounts are given to it.
 */
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { corruptor, type Fault, FaultTable } from './faults.js';
import type { Served, SiteHandler } from './site.js';

export interface Mount {
  /** Path prefix, e.g. `/node/dist`. */
  prefix: string;
  /** Called once the server's URL is known (indexes hold absolute URLs). */
  handler: (baseUrl: string) => SiteHandler;
}

export interface RequestRecord {
  method: string;
  /** Decoded path without the query. */
  path: string;
  /** The query string with its `?`, or ''. */
  query: string;
  status: number;
  /** Kind of the fault applied, if any. */
  fault?: Fault['kind'];
}

export interface HttpMirror {
  url: string;
  requests: RequestRecord[];
  faults: FaultTable;
  close(): Promise<void>;
}

function bodyChunks(served: Served, start: number, end: number): AsyncIterable<Buffer> {
  if (served.kind === 'file') return createReadStream(served.path, { start, end, highWaterMark: 256 * 1024 });
  const body = served.kind === 'body' ? served.body.subarray(start, end + 1) : Buffer.alloc(0);
  return (async function* () {
    for (let at = 0; at < body.length; at += 256 * 1024) yield body.subarray(at, at + 256 * 1024);
  })();
}

async function* faulted(
  chunks: AsyncIterable<Buffer>,
  fault: Fault | undefined,
  size: number,
  res: ServerResponse,
): AsyncGenerator<Buffer> {
  const closed = new Promise<void>((resolve) => res.on('close', () => resolve()));
  const corrupt = fault?.kind === 'corrupt' ? corruptor(size) : undefined;
  let limit = Number.POSITIVE_INFINITY;
  if (fault?.kind === 'truncate') limit = Math.floor(size * (fault.fraction ?? 0.5));
  if (fault?.kind === 'stall') limit = Math.min(size, fault.afterBytes ?? 65536);
  let offset = 0;
  for await (const raw of chunks) {
    let chunk = corrupt ? corrupt(raw, offset) : raw;
    if (offset + chunk.length > limit) chunk = chunk.subarray(0, limit - offset);
    if (fault?.kind === 'slow') {
      const step = Math.max(1, Math.floor(fault.bytesPerSecond / 10));
      for (let at = 0; at < chunk.length; at += step) {
        await sleep(100);
        yield chunk.subarray(at, at + step);
      }
    } else if (chunk.length > 0) {
      yield chunk;
    }
    offset += chunk.length;
    if (offset >= limit) break;
  }
  if (fault?.kind === 'truncate') {
    await sleep(20); // let the bytes written so far leave before the socket goes
    res.socket?.destroy();
  }
  if (fault?.kind === 'stall') await closed;
}

function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(size - 1, Number(match[2]));
  }
  return start > end || start >= size ? 'invalid' : { start, end };
}

async function answer(req: IncomingMessage, res: ServerResponse, served: Served, fault: Fault | undefined) {
  if (served.kind === 'redirect') {
    res.writeHead(302, { location: served.location, 'content-length': 0 });
    res.end();
    return 302;
  }
  const size = served.kind === 'file' ? served.size : served.body.length;
  const type =
    served.kind === 'file' ? (served.contentType ?? 'application/octet-stream') : served.contentType;
  const range = fault ? undefined : parseRange(req.headers.range, size);
  if (range === 'invalid') {
    res.writeHead(416, { 'content-range': `bytes */${size}` });
    res.end();
    return 416;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const headers: Record<string, string | number> = {
    'content-type': type,
    'content-length': end - start + 1,
    'accept-ranges': 'bytes',
  };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  const status = range ? 206 : 200;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return status;
  }
  res.flushHeaders();
  await pipeline(faulted(bodyChunks(served, start, end), fault, size, res), res).catch(() => {});
  return status;
}

export async function startHttpMirror(mounts: Mount[], host = '127.0.0.1', port = 0): Promise<HttpMirror> {
  const requests: RequestRecord[] = [];
  const faults = new FaultTable();
  const sockets = new Set<Socket>();
  let handlers: { prefix: string; handle: SiteHandler }[] = [];

  const server = createServer(async (req, res) => {
    const raw = new URL(req.url ?? '/', 'http://mirror.invalid');
    let path: string;
    try {
      path = decodeURIComponent(raw.pathname);
    } catch {
      path = raw.pathname;
    }
    const record: RequestRecord = { method: req.method ?? 'GET', path, query: raw.search, status: 0 };
    requests.push(record);
    const fault = faults.take(path);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'reset') {
      req.socket.resetAndDestroy();
      return;
    }
    if (fault?.kind === 'status') {
      record.status = fault.status;
      res.writeHead(fault.status, { 'content-type': 'text/plain' });
      res.end(`injected ${fault.status} for ${path}\n`);
      return;
    }
    const mount = handlers.find((h) => path === h.prefix || path.startsWith(`${h.prefix}/`));
    const served =
      req.method === 'GET' || req.method === 'HEAD'
        ? mount?.handle(path.slice(mount.prefix.length) || '/', raw.searchParams)
        : undefined;
    if (!served) {
      record.status = 404;
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`not found: ${path}\n`);
      return;
    }
    const replaced = fault?.kind === 'corrupt' && fault.body;
    const body: Served = replaced
      ? { kind: 'body', body: replaced, contentType: 'application/octet-stream' }
      : served;
    record.status = await answer(req, res, body, replaced ? undefined : fault).catch(() => 500);
  });
  // With Node's default keep-alive timeout (5 s), poly installing five runtimes at once from this
  // mirror on a loaded machine saw its Node download cut (UND_ERR_SOCKET) in 4 of 4 runs; with
  // 60 s, in 0 of 6. CDNs keep idle connections far longer than 5 s anyway.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  handlers = mounts.map((m) => ({ prefix: m.prefix, handle: m.handler(`${url}${m.prefix}`) }));

  return {
    url,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
