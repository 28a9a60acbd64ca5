/**
 * One HTTP/1.1 request head (RFC 9112), parsed strictly and written again for
 * the service: pure functions, no I/O. Strict where a lenient parser could
 * disagree with the service about where the request ends (smuggling).
 */

/** A parsed request head. `headers` is flat: name, value, name, value (as received, latin1). */
export interface RequestHead {
  method: string;
  target: string;
  version: 'HTTP/1.0' | 'HTTP/1.1';
  headers: string[];
  /** The Host header, if any (the routing key). */
  host: string | undefined;
  body: { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' };
  /** An Upgrade request (WebSocket): after its head the connection is a tunnel. */
  upgrade: boolean;
}

/** Why a head is refused: the status poly answers with. */
export interface HeadRefusal {
  status: 400 | 431;
  reason: string;
}

export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Control characters a field value may not hold (HTAB is allowed). */
export const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
const BAD_TARGET = /[\x00-\x20\x7f]/;

function bad(reason: string): HeadRefusal {
  return { status: 400, reason: `Bad Request: ${reason}` };
}

/** The head's text (latin1, up to but without its blank line), or why it is refused. */
export function parseRequestHead(text: string, maxHeaders: number): RequestHead | HeadRefusal {
  const lines = text.split('\r\n');
  const requestLine = (lines[0] ?? '').split(' ');
  const [method = '', target = '', version = ''] = requestLine;
  if (requestLine.length !== 3 || !TOKEN.test(method) || !target || BAD_TARGET.test(target))
    return bad('a malformed request line');
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') return bad('an HTTP version other than 1.x');
  // Origin form only (and `OPTIONS *`): an absolute URL or CONNECT would route by something else than Host.
  if (!(target.startsWith('/') || (target === '*' && method === 'OPTIONS')))
    return bad('a request target that is not a path');
  if (lines.length - 1 > maxHeaders) return { status: 431, reason: 'Request Header Fields Too Large' };
  const headers: string[] = [];
  let host: string | undefined;
  let length: string | undefined;
  let chunked = false;
  let upgrade = false;
  let connection = '';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    if (colon <= 0 || !TOKEN.test(name)) return bad('a malformed header line (or obs-fold)');
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (BAD_VALUE.test(value)) return bad(`a control character in header ${name}`);
    const lower = name.toLowerCase();
    if (lower === 'host') {
      if (host !== undefined) return bad('more than one Host header');
      host = value;
    } else if (lower === 'content-length') {
      if (!/^\d{1,15}$/.test(value)) return bad('a Content-Length that is not a number');
      if (length !== undefined && length !== value) return bad('differing Content-Length headers');
      // An identical repeat is one length (RFC 9110 8.6); the service gets it once.
      if (length !== undefined) continue;
      length = value;
    } else if (lower === 'transfer-encoding') {
      if (chunked || value.toLowerCase() !== 'chunked')
        return bad('a Transfer-Encoding other than one chunked');
      chunked = true;
    } else if (lower === 'upgrade') upgrade = true;
    else if (lower === 'connection') connection += `,${value.toLowerCase()}`;
    headers.push(name, value);
  }
  if (chunked && length !== undefined) return bad('both Content-Length and Transfer-Encoding');
  if (host === undefined && version === 'HTTP/1.1') return bad('no Host header');
  return {
    method,
    target,
    version,
    headers,
    host,
    body: chunked
      ? { kind: 'chunked' }
      : length
        ? { kind: 'length', length: Number(length) }
        : { kind: 'none' },
    upgrade: upgrade && /(^|,)\s*upgrade\s*(,|$)/.test(connection),
  };
}

const FORWARDED = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded']);

/**
 * The head the service gets: the client's, with X-Forwarded-* set by us (the
 * first hop: a client's own values are dropped) and Host kept as the public
 * name (dev servers check it). Framing headers are the client's own, so the
 * service finds the same request ends the framer found.
 */
export function upstreamHead(head: RequestHead, clientAddress: string, proto: 'https' | 'http'): string {
  let out = `${head.method} ${head.target} ${head.version}\r\n`;
  const h = head.headers;
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i] as string;
    if (!FORWARDED.has(name.toLowerCase())) out += `${name}: ${h[i + 1]}\r\n`;
  }
  const host = head.host ?? '';
  return `${out}X-Forwarded-For: ${clientAddress}\r\nX-Forwarded-Proto: ${proto}\r\nX-Forwarded-Host: ${host}\r\n\r\n`;
}
