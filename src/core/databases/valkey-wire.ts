import { askServer } from './handshake.js';

/**
 * redis-cli ping's question: an inline PING answered with +PONG, or with an
 * error other than LOADING (the dataset is still being read) or MASTERDOWN:
 * -NOAUTH means it is up and wants a password, as for `redis-cli ping`.
 */
export function redisReady(port: number, timeoutMs: number): Promise<boolean> {
  return askServer(port, timeoutMs, { hello: 'PING\r\n', verdict: pingVerdict });
}

/** The verdict on a PING's reply so far; undefined until its first line is whole. */
function pingVerdict(received: Buffer): boolean | undefined {
  const reply = received.toString('latin1');
  if (!reply.includes('\r\n')) return undefined;
  if (reply.startsWith('+')) return true;
  return reply.startsWith('-') && !/^-(LOADING|MASTERDOWN)/.test(reply);
}
