import { askServer } from './handshake.js';

/** ER_SERVER_SHUTDOWN: the server is stopping. */
const SERVER_SHUTDOWN = 1053;

/**
 * The verdict on the first packet a MySQL-protocol server sends (3-byte
 * length, sequence id, payload): a protocol-10 greeting (0x0a) when it takes
 * connections; an error packet (0xff, then a 2-byte code) otherwise. As for
 * `mariadb-admin ping`, an error other than "shutdown in progress" (too many
 * connections, host blocked) still means it is up. Undefined: not whole yet.
 */
export function greetingVerdict(packet: Buffer): boolean | undefined {
  if (packet.length < 5) return undefined;
  const kind = packet[4];
  if (kind === 0x0a) return true;
  if (kind !== 0xff) return false;
  if (packet.length < 7) return undefined;
  return packet.readUInt16LE(5) !== SERVER_SHUTDOWN;
}

/** Does a MariaDB/MySQL server on 127.0.0.1:port greet a client? */
export function mysqlReady(port: number, timeoutMs: number): Promise<boolean> {
  return askServer(port, timeoutMs, { verdict: greetingVerdict });
}
