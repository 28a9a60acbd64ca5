import { connect } from 'node:net';

/**
 * redis-cli ping's question: an inline PING answered with +PONG, or with an
 * error other than LOADING (the dataset is still being read) or MASTERDOWN:
 * -NOAUTH means it is up and wants a password, as for `redis-cli ping`.
 */
export function redisReady(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (!reply.includes('\r\n')) return;
      if (reply.startsWith('+')) return done(true);
      done(reply.startsWith('-') && !/^-(LOADING|MASTERDOWN)/.test(reply));
    });
  });
}
