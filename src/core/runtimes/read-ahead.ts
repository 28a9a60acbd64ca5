/**
 * Drains a download as fast as the network allows while the consumer (gunzip
 * + tar, much slower under load) catches up, up to `maxBytes` held in memory.
 * A paused socket is what servers time out: keep-alive timers fire and the
 * unread tail of the body is lost (seen with Node's own http server).
 */
export async function* readAhead(
  source: AsyncIterable<Uint8Array>,
  maxBytes = 512 * 1024 * 1024,
): AsyncGenerator<Uint8Array> {
  const queue: Uint8Array[] = [];
  let queued = 0;
  let finished = false;
  let failure: unknown;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const producer = (async () => {
    try {
      for await (const chunk of source) {
        queue.push(chunk);
        queued += chunk.byteLength;
        wakeConsumer?.();
        if (queued > maxBytes) await new Promise<void>((r) => (wakeProducer = r));
      }
    } catch (err) {
      failure = err;
    } finally {
      finished = true;
      wakeConsumer?.();
    }
  })();
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk) {
        queued -= chunk.byteLength;
        if (queued <= maxBytes && wakeProducer) {
          const wake = wakeProducer;
          wakeProducer = undefined;
          wake();
        }
        yield chunk;
        continue;
      }
      if (finished) break;
      await new Promise<void>((r) => (wakeConsumer = r));
      wakeConsumer = undefined;
    }
    // Everything that arrived was consumed: now report how the download ended.
    if (failure) throw failure;
  } finally {
    if (!finished) await Promise.race([producer, Promise.resolve()]);
  }
}
