import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { polyIn } from '../helpers/poly-cli.js';
import {
  makeServicesProject,
  nodeService,
  processesWithToken,
  waitFor,
} from '../helpers/services-project.js';

const poly = (env: NodeJS.ProcessEnv, cwd: string, ...args: string[]) => polyIn(env, cwd, args);
const bin = fileURLToPath(new URL('../../../bin/run.cjs', import.meta.url));

/** The real CLI, as a separate process (another terminal, as far as poly can tell). */
const manifest = `[services.db]
path = "db"
run = "node server.js"
port = "auto"
health = "/health"

[services.api]
path = "api"
run = "sleep 300 & node server.js"
port = "auto"
health = "/health"
depends_on = ["db"]
`;
const files = {
  'db/server.js': nodeService(),
  'api/server.js': nodeService({
    handler: "async (req, res) => res.end('api->' + (await (await fetch(process.env.DB_URL + '/q')).text()))",
  }),
};

describe('poly up -d with ps, logs, restart and down from other processes', () => {
  const project = makeServicesProject(manifest, files);
  after(() => project.cleanup());
  // A failed test must not leave its services to the next one.
  afterEach(() => poly(project.env, project.root, 'down'));

  it('runs the services in the background and controls them from another terminal', async () => {
    const up = await poly(project.env, project.root, 'up', '-d', '--json');
    assert.equal(up.code, 0, up.stderr);
    const result = JSON.parse(up.stdout) as {
      supervisorPid: number;
      services: Array<{ name: string; state: string; url: string }>;
    };
    assert.deepEqual(
      result.services.map((s) => [s.name, s.state]),
      [
        ['db', 'healthy'],
        ['api', 'healthy'],
      ],
    );
    const api = result.services.find((s) => s.name === 'api')!;
    assert.match(await (await fetch(`${api.url}/x`)).text(), /^api->ok \/q$/);

    const ps = await poly(project.env, project.root, 'ps', '--json');
    const listed = JSON.parse(ps.stdout) as {
      running: boolean;
      supervisor: { pid: number };
      services: Array<{ name: string; pid: number }>;
    };
    assert.equal(listed.running, true);
    assert.equal(listed.supervisor.pid, result.supervisorPid);
    const state = JSON.parse(readFileSync(join(project.root, '.poly/state/supervisor.json'), 'utf8'));
    assert.equal(state.pid, result.supervisorPid);

    const logs = await poly(project.env, join(project.root, 'api'), 'logs', 'api', '-n', '5');
    assert.match(logs.stdout, /^api \| listening on \d+/m);

    // logs -f follows new lines: once it printed the last line of history, the restart
    // below must show up as a new "listening on".
    const follow = spawn(process.execPath, [bin, 'logs', '-f', 'api', '-n', '1'], {
      cwd: project.root,
      env: project.env,
    });
    after(() => follow.kill('SIGKILL'));
    let followed = '';
    follow.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      followed += chunk;
    });
    await waitFor('logs -f to start', () => followed.length > 0, 20_000);
    const seen = followed.length;

    const oldPid = listed.services.find((s) => s.name === 'api')!.pid;
    const restarted = await poly(project.env, project.root, 'restart', 'api', '--json');
    assert.equal(restarted.code, 0, restarted.stderr);
    const status = JSON.parse(restarted.stdout) as { state: string; pid: number; restarts: number };
    assert.equal(status.state, 'healthy');
    assert.notEqual(status.pid, oldPid);
    assert.equal(status.restarts, 1);
    await waitFor('logs -f to show the restarted api', () =>
      /^api \| listening on/m.test(followed.slice(seen)),
    );
    follow.kill('SIGINT');

    const again = await poly(project.env, project.root, 'up', '-d');
    // Like `docker compose up -d`, running it again applies poly.toml: nothing changed, nothing restarts.
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^db\s+kept$/m);
    assert.match(again.stdout, /^api\s+kept$/m);

    const down = await poly(project.env, project.root, 'down');
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /Stopped db, api\./);
    assert.deepEqual(processesWithToken(project.token), []);
    const afterDown = await poly(project.env, project.root, 'ps', '--json');
    assert.equal(JSON.parse(afterDown.stdout).running, false);
  });

  it('leaves no orphans when the supervisor is killed with SIGKILL', async () => {
    const up = await poly(project.env, project.root, 'up', '-d', '--json');
    assert.equal(up.code, 0, up.stderr);
    const { supervisorPid } = JSON.parse(up.stdout) as { supervisorPid: number };
    // db's sh and node, api's sh, sleep and node.
    assert.ok(processesWithToken(project.token).length >= 5);
    process.kill(supervisorPid, 'SIGKILL');
    await waitFor(
      'every service process to end',
      () => processesWithToken(project.token).length === 0,
      15_000,
    );
    const down = await poly(project.env, project.root, 'down');
    assert.match(down.stdout, /Nothing was running/);
  });
});
