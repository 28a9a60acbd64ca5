import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServices } from '../../../src/services/up/up.js';
import { testContext } from '../../helpers/context.js';
import { makeServicesProject, processesWithToken, waitFor } from '../../helpers/services-project.js';

describe('a service with watch = [...]', () => {
  const project = makeServicesProject(
    `[services.app]
path = "app"
run = "node server.js"
watch = ["src/**"]
`,
    {
      'app/server.js':
        "console.log('serving ' + require('fs').readFileSync('src/page.txt', 'utf8')); setInterval(() => {}, 1000);",
      'app/src/page.txt': 'one',
      'app/notes.txt': 'not watched',
    },
  );
  after(() => project.cleanup());

  it('restarts when a watched file changes, and says which', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, project.env);
    try {
      const run = await startServices({ cwd: project.root, services: [], ctx: testContext(process.env) });
      try {
        await waitFor('the first start', () => run.supervisor.recentLines('app').includes('serving one'));
        writeFileSync(join(project.root, 'app', 'notes.txt'), 'still not watched');
        writeFileSync(join(project.root, 'app', 'src', 'page.txt'), 'two');
        await waitFor('the restart', () => run.supervisor.recentLines('app').includes('serving two'), 15_000);
        const lines = run.supervisor.recentLines('app');
        assert.ok(lines.includes('[poly] restarting: src/page.txt changed'), lines.join('\n'));
        assert.equal(run.supervisor.status()[0]?.restarts, 1, 'notes.txt did not restart it');
      } finally {
        await run.stop();
      }
      assert.deepEqual(processesWithToken(project.token), []);
    } finally {
      process.env = saved;
    }
  });
});
