import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startServices } from '../../../src/services/up/up.js';
import { testContext } from '../../helpers/context.js';
import { makeServicesProject, waitFor } from '../../helpers/services-project.js';

describe('restart policy', () => {
  const project = makeServicesProject(`[services.crasher]
run = "echo boom; exit 3"

[services.once]
run = "echo bye; exit 4"
restart = "no"

[services.job]
run = "echo done"
`);
  after(() => project.cleanup());

  it('restarts a crashing service with growing delays and shows the crash loop with its last lines', async () => {
    const run = await startServices({ cwd: project.root, services: [], ctx: testContext(process.env) });
    // In event order: each start of the crasher, and each restart delay it announced on the way.
    const starts: number[] = [];
    const waits: Array<{ at: number; delayMs: number }> = [];
    run.supervisor.on((e) => {
      if (e.type !== 'status' || e.status.name !== 'crasher') return;
      if (e.status.state === 'starting' && e.status.pid) starts.push(Date.now());
      const announced = /(?:restarting in|next try in) ([\d.]+) (ms|s)$/.exec(e.status.message ?? '');
      if ((e.status.state === 'backoff' || e.status.state === 'crash-loop') && announced)
        waits.push({ at: Date.now(), delayMs: Number(announced[1]) * (announced[2] === 's' ? 1000 : 1) });
    });
    try {
      const loop = await waitFor('a crash loop', () =>
        run.supervisor.status().find((s) => s.name === 'crasher' && s.state === 'crash-loop'),
      );
      assert.match(loop.message ?? '', /crash loop: exited with code 3, 3 times in a row/);
      assert.ok(loop.lastLines.includes('boom'));
      assert.ok(loop.lastLines.includes('[poly] exited with code 3'));
      await waitFor('three restarts', () => starts.length >= 4, 15_000);
      // The backoff doubles (250, 500, 1000 ms), and no restart comes before its delay is out.
      // Only lower bounds on the clock: a loaded machine makes gaps longer, never shorter.
      assert.deepEqual(
        waits.slice(0, 3).map((w) => w.delayMs),
        [250, 500, 1000],
      );
      for (const [i, wait] of waits.slice(0, 3).entries()) {
        const next = starts[i + 1] ?? Number.POSITIVE_INFINITY;
        assert.ok(next > wait.at, `start ${i + 1} came before restart delay ${i + 1} was announced`);
        // Timers may fire up to a millisecond early (they are rounded to whole milliseconds).
        assert.ok(
          next - wait.at >= wait.delayMs - 2,
          `restart ${i + 1} after ${next - wait.at} ms, not ${wait.delayMs}`,
        );
      }

      // restart = "no": a failure stays failed; a job exiting 0 is "exited".
      const once = run.supervisor.status().find((s) => s.name === 'once');
      assert.equal(once?.state, 'failed');
      assert.equal(once?.restarts, 0);
      assert.equal(run.supervisor.status().find((s) => s.name === 'job')?.state, 'exited');
    } finally {
      await run.stop();
    }
  });
});
