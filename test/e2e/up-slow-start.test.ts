import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { polyIn } from '../helpers/poly-cli.js';
import { makeServicesProject, nodeService, processesWithToken } from '../helpers/services-project.js';

/**
 * A service that compiles for over 30 s before it listens (cargo run, go run
 * on a cold cache). With start_period, `poly up -d` waits for it and exits 0;
 * a health table of timing keys alone checks its port, so `port = "auto"` works.
 */
describe('poly up -d waits through start_period', () => {
  const project = makeServicesProject(
    '[services.slow]\npath = "slow"\nrun = "node server.js"\nport = "auto"\nhealth = { start_period = "2m" }\n',
    { 'slow/server.js': nodeService({ delayMs: 35_000 }) },
  );
  after(async () => {
    await polyIn(project.env, project.root, ['down']);
    project.cleanup();
  });

  it('reports the service healthy after 35 s of silence, and exits 0', async () => {
    const started = Date.now();
    const up = await polyIn(project.env, project.root, ['up', '-d', '--json'], 180_000);
    assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`);
    const [slow] = (JSON.parse(up.stdout) as { services: Array<{ state: string; check: string }> }).services;
    assert.equal(slow?.state, 'healthy');
    assert.match(slow?.check ?? '', /^tcp \d+$/);
    assert.ok(Date.now() - started >= 35_000, 'it waited for the listener');
    await polyIn(project.env, project.root, ['down']);
    assert.deepEqual(processesWithToken(project.token), []);
  });
});
