/**
 * HTTP/1.1 request framing for the byte-pipe proxy (RFC 9112), with no I/O:
 * bytes in, events out. The proxy reads only the request heads (to route by
 * Host and rewrite X-Forwarded-*) and where each body ends (to find the next
 * kept-alive or pipelined head); body bytes pass through as they came.
 *
 * It is strict where a lenient parser could disagree with the service about
 * where a request ends (request smuggling): both Content-Length and
 * Transfer-Encoding, differing Content-Lengths, a coding other than chunked,
 * obs-fold, bare CR or LF, whitespace before a header's colon are all refused.
 */

import { BAD_VALUE, parseRequestHead, type RequestHead, TOKEN } from './h1-head.js';

export interface FramingError {
  status: 400 | 431;
  reason: string;
  /** In a body: part of the request already went on, so no answer can be written cleanly. */
  inBody: boolean;
}

export interface FramingEvents {
  head(head: RequestHead): void;
  /** Body bytes (chunk framing and trailers included, verbatim); after an upgrade, every byte. */
  body(bytes: Buffer): void;
  /** The request's body is complete; the next byte starts the next head. */
  end(): void;
  error(error: FramingError): void;
}

export interface FramingLimits {
  /** Bytes of request line + headers (Node's http default: 16 KiB). */
  maxHeadBytes: number;
  maxHeaders: number;
}

const DEFAULT_LIMITS: FramingLimits = { maxHeadBytes: 16 * 1024, maxHeaders: 200 };
const CHUNK_SIZE_LINE = /^([0-9a-fA-F]{1,12})(;[\x20-\x7e\t]*)?$/;
const CRLF = 0x0d0a;
const MAX_CHUNK_LINE = 4096;

type State =
  | 'head'
  | 'length'
  | 'chunk-size'
  | 'chunk-data'
  | 'chunk-crlf'
  | 'trailer'
  | 'tunnel'
  | 'stopped';

/** Feeds the bytes of one client connection through `push`, in order. */
export class RequestFramer {
  private state: State = 'head';
  /** Head (or chunk-size/trailer line) bytes received so far that end in no terminator yet. */
  private pending: Buffer | undefined;
  private remaining = 0;
  private trailerBytes = 0;

  constructor(
    private readonly on: FramingEvents,
    private readonly limits: FramingLimits = DEFAULT_LIMITS,
  ) {}

  /** Ignores every byte from now on (the proxy closes the connection). */
  stop(): void {
    this.state = 'stopped';
    this.pending = undefined;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      switch (this.state) {
        case 'stopped':
          return;
        case 'tunnel':
          this.on.body(pos === 0 ? chunk : chunk.subarray(pos));
          return;
        case 'head':
          pos = this.readHead(chunk, pos);
          break;
        default:
          pos = this.readBody(chunk, pos);
      }
    }
  }

  private fail(status: 400 | 431, reason: string): void {
    const inBody = this.state !== 'head';
    this.stop();
    this.on.error({ status, reason, inBody });
  }

  /** Reads up to the head's blank line; returns where the head ended (or chunk.length). */
  private readHead(chunk: Buffer, pos: number): number {
    let data = chunk;
    let start = pos;
    const before = this.pending?.length ?? 0;
    if (this.pending) {
      data = Buffer.concat([this.pending, chunk.subarray(pos)]);
      start = 0;
      this.pending = undefined;
    }
    // RFC 9112 2.2: a server should ignore empty lines before a request line (old clients send them).
    while (data.length - start >= 2 && data.readUInt16BE(start) === CRLF) start += 2;
    const end = data.indexOf('\r\n\r\n', Math.max(start, before - 3), 'latin1');
    if (end === -1) {
      if (data.length - start > this.limits.maxHeadBytes) this.fail(431, 'Request Header Fields Too Large');
      else if (data.length > start) this.pending = data.subarray(start);
      return chunk.length;
    }
    if (end - start > this.limits.maxHeadBytes) {
      this.fail(431, 'Request Header Fields Too Large');
      return chunk.length;
    }
    const head = parseRequestHead(data.toString('latin1', start, end), this.limits.maxHeaders);
    if ('status' in head) {
      this.fail(head.status, head.reason);
      return chunk.length;
    }
    // Where the head ends in `chunk`: the concatenation held `before` bytes from earlier chunks.
    const next = data === chunk ? end + 4 : pos + end + 4 - before;
    this.startBody(head);
    this.on.head(head);
    if (this.state === 'head') this.on.end();
    return next;
  }

  private startBody(head: RequestHead): void {
    if (head.upgrade) this.state = 'tunnel';
    else if (head.body.kind === 'chunked') this.state = 'chunk-size';
    else if (head.body.kind === 'length' && head.body.length > 0) {
      this.state = 'length';
      this.remaining = head.body.length;
    }
  }

  /** Reads body bytes from `pos`, hands them on in one slice, returns where this message's body ended. */
  private readBody(chunk: Buffer, pos: number): number {
    const from = pos;
    let at = pos;
    while (at < chunk.length && this.state !== 'head' && this.state !== 'stopped') {
      at = this.stepBody(chunk, at);
    }
    if (this.state === 'stopped') return chunk.length;
    if (at > from) this.on.body(chunk.subarray(from, at));
    if (this.state === 'head') this.on.end();
    return at;
  }

  private stepBody(chunk: Buffer, at: number): number {
    switch (this.state) {
      case 'length':
      case 'chunk-data': {
        const take = Math.min(this.remaining, chunk.length - at);
        this.remaining -= take;
        if (this.remaining === 0) this.state = this.state === 'length' ? 'head' : 'chunk-crlf';
        return at + take;
      }
      case 'chunk-crlf':
        return this.readChunkCrlf(chunk, at);
      case 'chunk-size':
        return this.readLine(chunk, at, MAX_CHUNK_LINE, (line) => this.chunkSize(line));
      default:
        return this.readLine(chunk, at, this.limits.maxHeadBytes, (line) => this.trailer(line));
    }
  }

  /** The CRLF after a chunk's data; it may arrive split, so it counts down in `remaining`. */
  private readChunkCrlf(chunk: Buffer, at: number): number {
    if (this.remaining === 0) this.remaining = 2;
    const expected = this.remaining === 2 ? 0x0d : 0x0a;
    if (chunk[at] !== expected) {
      this.fail(400, 'Bad Request: a chunk not followed by CRLF');
      return chunk.length;
    }
    this.remaining--;
    if (this.remaining === 0) this.state = 'chunk-size';
    return at + 1;
  }

  /** One CRLF-ended line (chunk size or trailer); partial lines wait in `pending`. */
  private readLine(chunk: Buffer, at: number, max: number, take: (line: string) => void): number {
    const lf = chunk.indexOf(0x0a, at);
    const upTo = lf === -1 ? chunk.length : lf + 1;
    const piece = chunk.subarray(at, upTo);
    const line = this.pending ? Buffer.concat([this.pending, piece]) : piece;
    this.pending = undefined;
    if (line.length > max) {
      this.fail(400, 'Bad Request: a chunk-size or trailer line too long');
      return chunk.length;
    }
    if (lf === -1) {
      // Kept as a copy: `chunk` is handed on to the service and may be reused.
      this.pending = Buffer.from(line);
      return upTo;
    }
    if (line.length < 2 || line[line.length - 2] !== 0x0d) {
      this.fail(400, 'Bad Request: a bare LF in a chunked body');
      return chunk.length;
    }
    take(line.toString('latin1', 0, line.length - 2));
    return upTo;
  }

  private chunkSize(line: string): void {
    const m = CHUNK_SIZE_LINE.exec(line);
    if (!m) {
      this.fail(400, 'Bad Request: a malformed chunk size');
      return;
    }
    const size = Number.parseInt(m[1] as string, 16);
    if (size === 0) {
      this.state = 'trailer';
      this.trailerBytes = 0;
    } else {
      this.state = 'chunk-data';
      this.remaining = size;
    }
  }

  private trailer(line: string): void {
    if (line === '') {
      this.state = 'head';
      return;
    }
    this.trailerBytes += line.length + 2;
    const colon = line.indexOf(':');
    if (this.trailerBytes > this.limits.maxHeadBytes || colon <= 0 || !TOKEN.test(line.slice(0, colon)))
      this.fail(400, 'Bad Request: a malformed trailer');
    else if (BAD_VALUE.test(line.slice(colon + 1)))
      this.fail(400, 'Bad Request: a control character in a trailer');
  }
}
