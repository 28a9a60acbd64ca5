import {
  type Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

export type ProxyRequest = IncomingMessage | Http2ServerRequest;
export type ProxyResponse = ServerResponse | Http2ServerResponse;

/** Connection-specific headers (RFC 9110 7.6.1): never forwarded, and forbidden in HTTP/2. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'http2-settings',
  'host',
]);
const FORWARDED = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded']);

/** The public name the client asked for, with its port: `web.shop.localhost:8443`. */
export function authorityOf(req: ProxyRequest): string {
  return String(req.headers[':authority'] ?? req.headers.host ?? '');
}

/**
 * Headers for the service: the client's, minus hop-by-hop and pseudo-headers,
 * with Host kept as the public name (dev servers check it) and the
 * X-Forwarded-* set by us (the first hop: a client's own values are dropped).
 */
export function upstreamHeaders(
  req: ProxyRequest,
  proto: 'https' | 'http',
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const headers = req.headers as IncomingHttpHeaders;
  // for-in, not Object.entries: no [name, value] arrays on every request.
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || name.startsWith(':') || HOP_BY_HOP.has(name) || FORWARDED.has(name)) continue;
    out[name] = value;
  }
  const authority = authorityOf(req);
  out.host = authority;
  out['x-forwarded-for'] = req.socket?.remoteAddress ?? '127.0.0.1';
  out['x-forwarded-proto'] = proto;
  out['x-forwarded-host'] = authority;
  return out;
}

/** The service's response headers, fit for HTTP/1.1 and HTTP/2 alike. */
function downstreamHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  // Most answers name no header in Connection but keep-alive/close: skip the list then.
  const connection = headers.connection;
  const connectionNamed =
    connection === undefined || connection === 'keep-alive' || connection === 'close'
      ? undefined
      : connection.split(',').map((h) => h.trim().toLowerCase());
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || connectionNamed?.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * Streams a request to 127.0.0.1:port and the answer back, chunk by chunk
 * (SSE and chunked bodies are never buffered). `onRefused` answers when the
 * service does not accept the connection.
 */
export function forwardRequest(
  req: ProxyRequest,
  res: ProxyResponse,
  target: { port: number; agent: Agent },
  onRefused: (err: Error) => void,
): void {
  const upstream = request({
    host: '127.0.0.1',
    port: target.port,
    method: req.method,
    path: req.url,
    headers: upstreamHeaders(req, 'https'),
    agent: target.agent,
  });
  upstream.on('response', (answer) => {
    (res as ServerResponse).writeHead(answer.statusCode ?? 502, downstreamHeaders(answer.headers));
    // A stream's headers go out at once (an SSE client sees the 200 before the first event);
    // a sized body goes out with them in one write.
    if (answer.headers['content-length'] === undefined) (res as ServerResponse).flushHeaders();
    answer.pipe(res as ServerResponse);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', (err) => {
    if (!res.headersSent) onRefused(err);
    else res.destroy();
  });
  // The client gave up (tab closed, curl stopped): stop the service's side too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  if (hasBody(req)) (req as IncomingMessage).pipe(upstream);
  else {
    // A GET's request stream only ever ends: skip the pipe machinery on the hot path.
    req.resume();
    upstream.end();
  }
}

/** Whether a request carries a body (HTTP/1.1 framing headers, or an HTTP/2 stream not ended with its headers). */
function hasBody(req: ProxyRequest): boolean {
  const h = req.headers;
  if (h['transfer-encoding'] !== undefined) return true;
  if (h['content-length'] !== undefined) return h['content-length'] !== '0';
  if (req.httpVersionMajor === 2) return !(req as Http2ServerRequest).stream.endAfterHeaders;
  return false;
}
