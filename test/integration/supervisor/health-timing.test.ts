import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServices } from '../../../src/services/up/up.js';
import { testContext } from '../../helpers/context.js';
import { makeServicesProject, nodeService, waitFor } from '../../helpers/services-project.js';

/**
 * Compose's timing: checks every start_interval until the first success,
 * then every interval (default 10 s). Checks used to stay at 500 ms forever
 * and flood the service's HTTP log.
 */
describe('health check timing', () => {
  const project = makeServicesProject(
    '[services.api]\npath = "api"\nrun = "node server.js"\nport = "auto"\nhealth = "/health"\n',
    {
      'api/server.js': nodeService({
        body: 'let hits = 0;',
        handler:
          "(req, res) => { if (req.url === '/health') hits++; res.end(req.url === '/hits' ? String(hits) : 'ok'); }",
      }),
    },
  );
  after(() => project.cleanup());

  it('checks a healthy service every interval, not every start_interval', async () => {
    const run = await startServices({ cwd: project.root, services: [], ctx: testContext(process.env) });
    try {
      const api = await waitFor('api healthy', () =>
        run.supervisor.status().find((s) => s.name === 'api' && s.state === 'healthy'),
      );
      const hits = async () => Number(await (await fetch(`http://127.0.0.1:${api.port}/hits`)).text());
      const atHealthy = await hits();
      // Six start_intervals later: the old 500 ms cadence would have checked about six more times.
      await sleep(3000);
      assert.ok(
        (await hits()) - atHealthy <= 1,
        `checked ${(await hits()) - atHealthy} times in 3 s after healthy`,
      );
    } finally {
      await run.stop();
    }
  });
});
