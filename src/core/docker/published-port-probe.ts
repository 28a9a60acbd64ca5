import { createConnection } from 'node:net';

/**
 * A TCP health check for a container's published port. Docker's port proxy
 * accepts every connection on 127.0.0.1:<port> at once, even while nothing
 * listens inside the container, and closes it a few milliseconds later; so
 * "connect succeeded" proves nothing. Healthy here means the connection is
 * still open after `settleMs`, or the service already sent something (a
 * greeting). Refused, reset or closed early means not yet.
 */
export function probePublishedPort(
  port: number,
  opts: { host?: string; settleMs?: number; timeoutMs?: number } = {},
): Promise<boolean> {
  const settleMs = opts.settleMs ?? 150;
  return new Promise((resolve) => {
    const socket = createConnection({ host: opts.host ?? '127.0.0.1', port });
    let settled = false;
    const finish = (healthy: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(settle);
      socket.destroy();
      resolve(healthy);
    };
    let settle: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => finish(false), opts.timeoutMs ?? 2000);
    socket.once('connect', () => {
      settle = setTimeout(() => finish(true), settleMs);
    });
    socket.once('data', () => finish(true));
    socket.once('end', () => finish(false));
    socket.once('close', () => finish(false));
    socket.once('error', () => finish(false));
  });
}
