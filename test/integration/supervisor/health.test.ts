import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pickFreePort } from '../../../src/core/supervisor/ports.js';
import { startServices } from '../../../src/services/up/up.js';
import { testContext } from '../../helpers/context.js';
import { makeServicesProject, type ServicesProject, waitFor } from '../../helpers/services-project.js';

describe('health checks', () => {
  let project: ServicesProject;
  let port: number;
  before(async () => {
    port = await pickFreePort();
    project = makeServicesProject(`[services.file]
run = "sleep 0.4; touch ready; exec sleep 300"
health = { cmd = "test -f ready", interval = "100ms" }

[services.tcp]
run = "sleep 0.3; exec node -e \\"require('net').createServer().listen(${port}, '127.0.0.1')\\""
health = { tcp = ${port} }

[services.never]
run = "exec sleep 300"
port = "auto"
health = { path = "/health", interval = "50ms", retries = 6 }

[services.plain]
run = "exec sleep 300"

[services.slow]
run = "sleep 0.8; touch slow-ready; exec sleep 300"
health = { cmd = "test -f slow-ready", interval = "50ms", retries = 3, start_period = "20s" }
`);
  });
  after(() => project.cleanup());

  it('waits for cmd and tcp checks, marks a silent service unhealthy, and a check-less one healthy once it stayed up', async () => {
    const run = await startServices({ cwd: project.root, services: [], ctx: testContext(process.env) });
    try {
      const by = (name: string) => run.supervisor.status().find((s) => s.name === name)!;
      // retries x interval is 0.15 s, but start_period gives the slow starter its time.
      const slow = await waitFor('slow started', () => by('slow').startedAt);
      await new Promise((r) => setTimeout(r, Math.max(0, slow + 400 - Date.now())));
      assert.equal(by('slow').state, 'starting', 'unhealthy before start_period ran out');
      await waitFor('slow healthy', () => by('slow').state === 'healthy');
      await waitFor(
        'file and tcp healthy',
        () => by('file').state === 'healthy' && by('tcp').state === 'healthy',
      );
      assert.ok(
        by('file').healthyAt! - by('file').startedAt! >= 300,
        'cmd check passed before the file existed',
      );
      assert.ok(
        by('tcp').healthyAt! - by('tcp').startedAt! >= 250,
        'tcp check passed before the port listened',
      );
      assert.equal(by('tcp').check, `tcp ${port}`);
      const never = await waitFor('never unhealthy', () => by('never').state === 'unhealthy' && by('never'));
      assert.equal(never.message, 'not healthy after 0.3 s (GET /health)');
      // A check-less service is healthy once it stayed up for the grace period.
      await waitFor('plain healthy', () => by('plain').state === 'healthy');
      assert.equal(by('plain').check, 'up for 1 s');
    } finally {
      await run.stop();
    }
  });
});
