import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Net from 'node:net';
import type { Server } from 'node:net';

/**
 * The line protocol of poly's unix sockets (the supervisor's in .poly/, the
 * proxy's in the store): one request line per connection, answered with one
 * text that ends the connection. The callers put JSON in the lines; this
 * module only frames them.
 */

/**
 * node:net on first use: `poly ps` or `poly down` of a project with no supervisor finds no socket
 * file and never loads it (it and the streams under it were a tenth of a cold `poly ps`).
 */
const net = (): typeof Net => createRequire(import.meta.url)('node:net') as typeof Net;

/** The answer to a line; may take as long as it needs (the supervisor's `wait` holds the connection open). */
export type LineHandler = (line: string) => string | Promise<string>;

/**
 * Listens on the unix socket `path` (a stale socket file is replaced). A
 * handler that throws ends the connection without an answer; the client then
 * reads an empty answer, so handlers answer their own errors.
 */
export async function serveLineProtocol(path: string, handle: LineHandler): Promise<Server> {
  rmSync(path, { force: true });
  const server = net().createServer((conn) => {
    let buffer = '';
    conn.setEncoding('utf8');
    conn.on('error', () => {});
    const onData = (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl === -1) return;
      // One request per connection: whatever follows the first line is not read.
      conn.off('data', onData);
      const line = buffer.slice(0, nl);
      buffer = '';
      Promise.resolve()
        .then(() => handle(line))
        .then(
          (answer) => {
            if (!conn.destroyed) conn.end(answer.endsWith('\n') ? answer : `${answer}\n`);
          },
          () => conn.destroy(),
        );
    };
    conn.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** The error lineRequest rejects with when no answer came in time. */
export class LineTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

/** Errors that mean nobody listens on the socket (none, or a stale file left by a killed process). */
const NOBODY_LISTENS = ['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'];

/**
 * Sends one line and resolves with the whole answer (up to the end of the
 * connection), or undefined when nobody listens on `path`. Rejects with a
 * LineTimeoutError after `timeoutMs`, and with the socket's error when the
 * connection breaks after it was made.
 */
export function lineRequest(path: string, line: string, timeoutMs: number): Promise<string | undefined> {
  // No file: nobody listens (ENOENT), known without a connection.
  if (!existsSync(path)) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const conn = net().connect(path);
    let answer = '';
    let connected = false;
    const timer = setTimeout(() => {
      conn.destroy();
      reject(new LineTimeoutError(`no answer on ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    conn.setEncoding('utf8');
    conn.on('connect', () => {
      connected = true;
      conn.write(`${line}\n`);
    });
    conn.on('data', (chunk: string) => {
      answer += chunk;
    });
    conn.on('end', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    conn.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!connected && NOBODY_LISTENS.includes(err.code ?? '')) resolve(undefined);
      else reject(err);
    });
  });
}
