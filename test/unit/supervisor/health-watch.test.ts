import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type HealthFinding, watchHealth } from '../../../src/core/supervisor/health-watch.js';
import type { RunningService } from '../../../src/core/supervisor/runner.js';

// The watch reads an instance only through imageHealth(); the rest of a running process is not used here.
const instance = (imageHealth?: () => Promise<string | undefined>) =>
  ({ id: 'pid:1', pid: 1, ...(imageHealth ? { imageHealth } : {}) }) as unknown as RunningService;

function watch(o: {
  run: AbortController;
  probe?: () => Promise<boolean>;
  imageHealth?: () => Promise<string | undefined>;
  ownCheck?: boolean;
  intervalMs?: number;
  onReport?: (finding: HealthFinding) => void;
}) {
  const found: Array<HealthFinding & { quiet: boolean }> = [];
  let announced = 0;
  const done = watchHealth({
    instance: instance(o.imageHealth),
    signal: o.run.signal,
    probe: o.probe,
    ownCheck: o.ownCheck ?? false,
    timing: { interval: o.intervalMs ?? 3_600_000, timeout: 1000, retries: 3 },
    report: (finding, quiet) => {
      found.push({ ...finding, quiet: quiet ?? false });
      o.onReport?.(finding);
      return true;
    },
    announce: () => {
      announced++;
    },
    describeCheck: () => 'tcp 1',
  });
  return { done, found, announced: () => announced };
}

describe('health watch of one run', () => {
  // The watch's sleeps never hold the process (a supervisor's socket does): this holds it while a test waits.
  let hold: NodeJS.Timeout;
  before(() => {
    hold = setInterval(() => {}, 1000);
  });
  after(() => clearInterval(hold));

  it('ends as soon as its run is aborted, instead of sleeping out an hour-long interval', {
    timeout: 10_000,
  }, async () => {
    const run = new AbortController();
    // Aborted once the watch sleeps until its next check (it goes there right after reporting).
    const w = watch({ run, probe: async () => true, onReport: () => setImmediate(() => run.abort()) });
    await w.done;
    assert.deepEqual(
      w.found.map((f) => f.type),
      ['healthy'],
    );
  });

  it('reports nothing that a check finds after its run was aborted', async () => {
    const run = new AbortController();
    let answer!: (ok: boolean) => void;
    const pending = new Promise<boolean>((resolve) => {
      answer = resolve;
    });
    const w = watch({ run, probe: () => pending });
    run.abort();
    answer(true);
    await w.done;
    assert.deepEqual(w.found, []);
  });

  it("takes the image's HEALTHCHECK as the check when the service has none: one status with both", async () => {
    const run = new AbortController();
    const reads = ['starting', 'healthy'];
    const w = watch({
      run,
      // Read again only after IMAGE_HEALTH_READ_MS; the second read says healthy.
      imageHealth: async () => (reads.length > 1 ? reads.shift() : reads[0]),
      onReport: (f) => {
        if (f.type === 'healthy') run.abort();
      },
    });
    await w.done;
    assert.deepEqual(
      w.found.map(({ type, quiet }) => ({ type, quiet })),
      [
        { type: 'image-health', quiet: true },
        { type: 'image-check', quiet: true },
        { type: 'image-health', quiet: false },
        { type: 'healthy', quiet: false },
      ],
    );
    assert.equal(w.announced(), 1);
    assert.deepEqual(w.found[1], { type: 'image-check', imageCheck: true, quiet: true });
  });

  it('with a check of its own, the image status is only shown', async () => {
    const run = new AbortController();
    const w = watch({
      run,
      ownCheck: true,
      probe: async () => true,
      imageHealth: async () => 'unhealthy',
      onReport: (f) => {
        if (f.type === 'healthy') run.abort();
      },
    });
    await w.done;
    assert.deepEqual(w.found[1], { type: 'image-check', imageCheck: false, quiet: true });
    assert.equal(w.found.at(-1)?.type, 'healthy');
  });
});
