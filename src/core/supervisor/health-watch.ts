import { type HealthTiming, startWindowMs } from '../manifest/types.js';
import { type HealthProbe, sleep, waitUntilHealthy } from './health.js';
import { alongside, type ImageHealthReader, imageHealthReader } from './image-health.js';
import { fileChangeWake } from './probe-wake.js';
import type { RunningService } from './runner.js';
import type { ServiceEvent } from './service-state.js';
import { NO_CHECK_GRACE_MS } from './status.js';

/** The events a health watch finds, before they are stamped with the run they belong to. */
export type HealthFinding = WithoutRun<
  Extract<ServiceEvent, { type: 'healthy' | 'unhealthy' | 'image-health' | 'image-check' }>
>;
type WithoutRun<E> = E extends unknown ? Omit<E, 'run'> : never;

export interface HealthWatch {
  instance: RunningService;
  /** The run's signal: the watch ends with it, and never reports after it. */
  signal: AbortSignal;
  /** The service's own check (or its port's), when it has one. */
  probe: HealthProbe | undefined;
  /** The service declares a `health` check: the image's HEALTHCHECK is then only shown, not used. */
  ownCheck: boolean;
  timing: HealthTiming;
  /** A file the service rewrites as it starts (healthWakeFile): each change is probed at once. */
  wakeFile?: string;
  /** Hands a finding to the state machine: false when it did not apply. `quiet` holds its status event back. */
  report(finding: HealthFinding, quiet?: boolean): boolean;
  /** Sends the status event that quiet findings held back. */
  announce(): void;
  describeCheck(): string;
}

/**
 * Watches one run's health: waits for the first healthy answer within the
 * start window, then checks every `interval`; `retries` failures in a row
 * make it unhealthy, one pass healthy again. Ends when the run is aborted.
 */
export async function watchHealth(w: HealthWatch): Promise<void> {
  const current = () => !w.signal.aborted;
  const image = await firstImageHealth(w);
  if (!current()) return;
  const imageCheck = image !== undefined && !w.ownCheck;
  const probe = imageCheck ? async () => (await image()) === 'healthy' : alongside(w.probe, image);
  if (!probe) {
    // Without a check, healthy means it stayed up: a service that exits at once is not.
    await sleep(NO_CHECK_GRACE_MS, w.signal);
    if (current()) w.report({ type: 'healthy', at: Date.now() });
    return;
  }
  const { timing } = w;
  const wake = w.wakeFile ? fileChangeWake(w.wakeFile) : undefined;
  const ok = await waitUntilHealthy(probe, timing, w.signal, wake).finally(() => wake?.close());
  if (!current()) return;
  if (ok) w.report({ type: 'healthy', at: Date.now() });
  else {
    const seconds = (startWindowMs(timing) / 1000).toFixed(1);
    w.report({ type: 'unhealthy', message: `not healthy after ${seconds} s (${w.describeCheck()})` });
  }
  // The engine already counted the image HEALTHCHECK's retries: its "unhealthy" is final.
  const retries = imageCheck ? 1 : timing.retries;
  let failures = 0;
  while (current()) {
    await sleep(timing.interval, w.signal);
    if (!current()) return;
    const healthy = await probe(w.signal);
    if (!current()) return;
    failures = healthy ? 0 : failures + 1;
    // The state machine takes "healthy" only from a service that was not, "unhealthy" only from a healthy one.
    const recovered = healthy && w.report({ type: 'healthy', at: Date.now() });
    if (!recovered && failures >= retries)
      w.report({
        type: 'unhealthy',
        message: imageCheck ? w.describeCheck() : `health check failed ${failures} times in a row`,
      });
  }
}

/**
 * Reads the image's HEALTHCHECK status once, and says whether it is the
 * service's check; a reader for the next reads when the image has one.
 */
async function firstImageHealth(w: HealthWatch): Promise<ImageHealthReader | undefined> {
  if (!w.instance.imageHealth) return undefined;
  let first = true;
  const read = imageHealthReader(w.instance, (health) => {
    if (!w.signal.aborted) w.report({ type: 'image-health', health }, first);
  });
  const health = await read();
  first = false;
  if (w.signal.aborted) return undefined;
  const changed = w.report({ type: 'image-check', imageCheck: health !== undefined && !w.ownCheck }, true);
  // One update with both: the status and what the check is.
  if (health !== undefined || changed) w.announce();
  return health === undefined ? undefined : read;
}
