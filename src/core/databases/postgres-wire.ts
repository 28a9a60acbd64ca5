import { askServer } from './handshake.js';

/** SQLSTATE cannot_connect_now: the server is starting up, shutting down or recovering. */
const CANNOT_CONNECT_NOW = '57P03';

/** A protocol 3.0 StartupMessage: length, version, then key\0value\0 pairs and a final \0. */
export function startupMessage(user: string, database: string): Buffer {
  const body = Buffer.from(`user\0${user}\0database\0${database}\0\0`, 'utf8');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, body]);
}

/** The SQLSTATE (field C) of an ErrorResponse message, from its first byte on. */
export function errorCode(message: Buffer): string | undefined {
  let at = 5;
  while (at < message.length && message[at] !== 0) {
    const field = String.fromCharCode(message[at] as number);
    const end = message.indexOf(0, at + 1);
    if (end < 0) return undefined;
    if (field === 'C') return message.subarray(at + 1, end).toString('utf8');
    at = end + 1;
  }
  return undefined;
}

/**
 * pg_isready's question over TCP: does the server accept connections? It
 * answers a StartupMessage with an authentication request ('R') when it does,
 * and with cannot_connect_now while it starts, recovers or stops. Any other
 * error (too many connections, no such role) still means it is up, as for pg_isready.
 */
export function postgresReady(
  port: number,
  user: string,
  database: string,
  timeoutMs: number,
): Promise<boolean> {
  return askServer(port, timeoutMs, { hello: startupMessage(user, database), verdict: startupVerdict });
}

/** The verdict on the answer to a StartupMessage so far; undefined until an error message is whole. */
function startupVerdict(received: Buffer): boolean | undefined {
  const kind = String.fromCharCode(received[0] as number);
  if (kind === 'R') return true;
  if (kind !== 'E') return false;
  if (received.length < 5) return undefined;
  const length = received.readInt32BE(1);
  if (received.length < 1 + length) return undefined;
  return errorCode(received.subarray(0, 1 + length)) !== CANNOT_CONNECT_NOW;
}
