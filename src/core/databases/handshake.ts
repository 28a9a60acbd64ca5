import { connect } from 'node:net';

export interface Handshake {
  /** What the client says first, once connected (nothing: the server speaks first). */
  hello?: Buffer | string;
  /** The verdict on everything received so far: ready or not, or undefined while the answer is not whole. */
  verdict: (received: Buffer) => boolean | undefined;
}

/**
 * One short conversation with a database on 127.0.0.1:port, as its own
 * readiness tool has it (pg_isready, mariadb-admin ping, redis-cli ping):
 * false on a refused or closed connection, on a timeout, or when the
 * verdict says so. The protocols differ only in the hello and the verdict.
 */
export function askServer(port: number, timeoutMs: number, handshake: Handshake): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
    const { hello } = handshake;
    if (hello !== undefined) socket.once('connect', () => socket.write(hello));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const verdict = handshake.verdict(received);
      if (verdict !== undefined) done(verdict);
    });
  });
}
