import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServices } from '../../../src/services/up/up.js';
import { testContext } from '../../helpers/context.js';
import { makeServicesProject, processesWithToken, waitFor } from '../../helpers/services-project.js';

describe('a health check still running when its run ends', () => {
  // The check hangs far longer than the test: only the end of its run can end it.
  const project = makeServicesProject(`[services.api]
run = "exec sleep 300"
health = { cmd = "touch checking; exec sleep 120", timeout = "100s" }
`);
  after(() => project.cleanup());

  it('is killed with its process group when the service stops, so nothing outlives poly down', async () => {
    const run = await startServices({ cwd: project.root, services: [], ctx: testContext(process.env) });
    try {
      await waitFor('the check to run', () => existsSync(join(project.root, 'checking')));
      const check = await waitFor('the check process', () =>
        processesWithToken(project.token).find((p) => p.cmd.startsWith('sleep 120')),
      );
      assert.ok(check);
    } finally {
      await run.stop();
    }
    assert.deepEqual(processesWithToken(project.token), []);
  });
});
