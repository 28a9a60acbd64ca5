import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { polyIn } from '../helpers/poly-cli.js';
import { makeServicesProject, nodeService, processesWithToken } from '../helpers/services-project.js';

const poly = (env: NodeJS.ProcessEnv, cwd: string, ...args: string[]) => polyIn(env, cwd, args);

interface UpJson {
  supervisorPid: number;
  services: Array<{ name: string; state: string; url?: string }>;
}

describe('poly up -d and a service that exits at once', () => {
  const project = makeServicesProject(`[services.boom]
run = "echo boom; exit 1"
`);
  after(() => project.cleanup());
  afterEach(() => poly(project.env, project.root, 'down'));

  it('fails: a service without a check is healthy only once it stayed up', async () => {
    const up = await poly(project.env, project.root, 'up', '-d');
    assert.equal(up.code, 1, `poly up -d succeeded:\n${up.stdout}`);
    assert.match(up.stderr, /service boom is crash-loop: crash loop: exited with code 1, 3 times in a row/);
    assert.match(up.stderr, /boom \| boom/);
    // Nothing else runs: the hint must not say other services keep running.
    assert.doesNotMatch(up.stderr, /other services keep running/);
    assert.match(up.stderr, /No other service of this project runs\./);
  });
});

describe('two poly up -d at once', () => {
  const project = makeServicesProject(
    `[services.web]
path = "web"
run = "node server.js"
port = "auto"
health = "/health"

[services.worker]
run = "exec sleep 300"
`,
    { 'web/server.js': nodeService({ delayMs: 300 }) },
  );
  after(() => project.cleanup());
  afterEach(() => poly(project.env, project.root, 'down'));

  it('share one supervisor: the second waits for the first and reports the same result', async () => {
    const [a, b] = await Promise.all([
      poly(project.env, project.root, 'up', '-d', '--json'),
      poly(project.env, project.root, 'up', '-d', '--json'),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const first = JSON.parse(a.stdout) as UpJson;
    const second = JSON.parse(b.stdout) as UpJson;
    assert.equal(first.supervisorPid, second.supervisorPid);
    const summary = (r: UpJson) => r.services.map((s) => [s.name, s.state, s.url]);
    assert.deepEqual(summary(first), summary(second));
    assert.deepEqual(
      first.services.map((s) => [s.name, s.state]),
      [
        ['web', 'healthy'],
        ['worker', 'healthy'],
      ],
    );
    // One instance of each service: two web servers and two sleeps would be four.
    const down = await poly(project.env, project.root, 'down');
    assert.equal(down.stdout, 'Stopped web, worker.\n');
    assert.deepEqual(processesWithToken(project.token), []);
  });
});
