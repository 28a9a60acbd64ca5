import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startServices } from '../../../src/services/up.js';
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
    const run = await startServices({ cwd: project.root, services: [] });
    const starts: number[] = [];
    run.supervisor.on((e) => {
      if (e.type === 'status' && e.status.name === 'crasher' && e.status.state === 'starting' && e.status.pid)
        starts.push(Date.now());
    });
    try {
      const loop = await waitFor('a crash loop', () =>
        run.supervisor.status().find((s) => s.name === 'crasher' && s.state === 'crash-loop'),
      );
      assert.match(loop.message ?? '', /crash loop: exited with code 3, 3 times in a row/);
      assert.ok(loop.lastLines.includes('boom'));
      assert.ok(loop.lastLines.includes('[poly] exited with code 3'));
      await waitFor('three restarts', () => starts.length >= 4, 15_000);
      // Backoff 250, 500, 1000 ms between the starts.
      const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
      assert.ok((gaps[0] ?? 0) >= 240, `first gap ${gaps[0]} ms`);
      assert.ok((gaps[2] ?? 0) - (gaps[0] ?? 0) >= 600, `gaps ${gaps.join(', ')} do not grow`);

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
