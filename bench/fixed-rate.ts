import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

export interface FixedRateTarget {
  port: number;
  /** Set for HTTPS: the SNI name (the certificate is not checked: loopback, the bench's own leaf). */
  servername?: string;
  /** The Host header. */
  host: string;
}

/** One keep-alive connection that sends a GET and resolves with its latency in ms once the sized answer is in. */
class Connection {
  private received: Buffer = Buffer.alloc(0);
  private sentAt = 0n;
  private done: ((ms: number) => void) | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly request: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (bytes: Buffer) => this.onData(bytes));
  }

  get busy(): boolean {
    return this.done !== undefined;
  }

  send(): Promise<number> {
    return new Promise((resolve) => {
      this.done = resolve;
      this.sentAt = process.hrtime.bigint();
      this.socket.write(this.request);
    });
  }

  private onData(bytes: Buffer): void {
    this.received = this.received.length ? Buffer.concat([this.received, bytes]) : bytes;
    const end = this.received.indexOf('\r\n\r\n');
    if (end === -1) return;
    const length = /\r\ncontent-length: *(\d+)/i.exec(this.received.toString('latin1', 0, end));
    if (!length) throw new Error('the bench service answers with a Content-Length');
    if (this.received.length < end + 4 + Number(length[1])) return;
    this.received = Buffer.alloc(0);
    const done = this.done;
    this.done = undefined;
    done?.(Number(process.hrtime.bigint() - this.sentAt) / 1e6);
  }

  close(): void {
    this.socket.destroy();
  }
}

function open(target: FixedRateTarget): Promise<Connection> {
  const request = `GET / HTTP/1.1\r\nHost: ${target.host}\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const socket = target.servername
      ? connectTls({
          port: target.port,
          host: '127.0.0.1',
          servername: target.servername,
          rejectUnauthorized: false,
          ALPNProtocols: ['http/1.1'],
        })
      : connectTcp(target.port, '127.0.0.1');
    socket.once(target.servername ? 'secureConnect' : 'connect', () =>
      resolve(new Connection(socket, request)),
    );
    socket.once('error', reject);
  });
}

/**
 * Latencies in ms (hrtime, sub-millisecond) of GETs sent at a fixed rate over
 * `connections` kept-alive connections for `durationMs`: a moderate load, not
 * saturation, so the figure is the proxy's hop and not a queue. A tick that
 * finds every connection busy skips its request (counted in `skipped`).
 */
export async function fixedRate(
  target: FixedRateTarget,
  o: { rate: number; durationMs: number; connections: number },
): Promise<{ latencies: number[]; skipped: number }> {
  const pool = await Promise.all(Array.from({ length: o.connections }, () => open(target)));
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let skipped = 0;
  let sent = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - start;
      if (elapsed >= o.durationMs) {
        clearInterval(tick);
        resolve();
        return;
      }
      for (; sent < Math.floor((elapsed * o.rate) / 1000); sent++) {
        const idle = pool.find((c) => !c.busy);
        if (!idle) skipped++;
        else pending.push(idle.send().then((ms) => void latencies.push(ms)));
      }
    }, 1);
  });
  await Promise.all(pending);
  for (const c of pool) c.close();
  return { latencies, skipped };
}

/** The p-th percentile (0-100) of samples, nearest rank. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
