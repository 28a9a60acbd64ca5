import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A port nothing listens on right now (on 127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** GETs a URL until it answers 200 (or the deadline passes); returns the body. */
export async function waitForHttp(url: string, timeoutMs = 15_000, pollMs = 50): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return await res.text();
      last = new Error(`HTTP ${res.status}: ${await res.text()}`);
    } catch (err) {
      last = err;
    }
    await sleep(pollMs);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${String(last)}`);
}
