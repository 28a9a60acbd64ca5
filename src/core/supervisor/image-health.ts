import type { HealthProbe } from './health.js';
import type { RunningService } from './runner.js';

/** Resolves the last known image HEALTHCHECK status of one instance, reading it when a read is due. */
export type ImageHealthReader = () => Promise<string | undefined>;

/**
 * The engine is asked at most this often. The status changes only when the
 * image's own check runs (every few seconds, typically), and the quick probes
 * of a fresh start come every 25 ms: reading at their pace would only cost engine calls.
 */
export const IMAGE_HEALTH_READ_MS = 250;

/**
 * A reader of `instance.imageHealth()` that calls `onChange` when the status
 * changes. A failed read (the engine is busy or gone) keeps the last status.
 */
export function imageHealthReader(
  instance: RunningService,
  onChange: (health: string) => void,
  minIntervalMs = IMAGE_HEALTH_READ_MS,
): ImageHealthReader {
  let last: string | undefined;
  let readAt: number | undefined;
  return async () => {
    const now = Date.now();
    if (readAt !== undefined && now - readAt < minIntervalMs) return last;
    readAt = now;
    let health: string | undefined;
    try {
      health = await instance.imageHealth?.();
    } catch {
      return last;
    }
    if (health !== undefined && health !== last) {
      last = health;
      onChange(health);
    }
    return last;
  };
}

/** The service's own probe, reading the image's HEALTHCHECK status alongside each check. */
export function alongside(
  probe: HealthProbe | undefined,
  image: ImageHealthReader | undefined,
): HealthProbe | undefined {
  if (!probe || !image) return probe;
  return async (signal) => (await Promise.all([probe(signal), image()]))[0];
}
