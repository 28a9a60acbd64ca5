import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  makeServicesProject,
  nodeService,
  processesWithToken,
  waitFor,
} from '../helpers/services-project.js';

const bin = fileURLToPath(new URL('../../../bin/run.cjs', import.meta.url));

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the dashboard in a real terminal (tmux)', {
  skip: hasTmux() ? false : 'tmux is not installed',
}, () => {
  const project = makeServicesProject(
    `[runtimes]
node = "20"

[services.db]
path = "db"
runtime = "node"
run = "node server.js"
port = "auto"
health = "/health"

[services.api]
path = "api"
runtime = "node"
run = "node server.js"
port = "auto"
health = "/health"
depends_on = ["db"]
`,
    { 'db/server.js': nodeService(), 'api/server.js': nodeService() },
  );
  // Our own tmux server (-L), so no other tmux session on the machine is touched.
  const socket = `poly-test-${project.token}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', 'up');
  after(() => {
    try {
      tmux('kill-server');
    } catch {}
    project.cleanup();
  });

  it('shows the services, restarts with r, hides logs with l and stops everything with q', async () => {
    const env = Object.entries({
      POLY_HOME: project.env.POLY_HOME,
      POLY_CONFIG_DIR: project.env.POLY_CONFIG_DIR,
      // A person at a terminal: the tmux server inherits CI=true from a CI job, and
      // in CI Ink (and poly) draw no live frames.
      CI: 'false',
    });
    tmux(
      'new-session',
      '-d',
      '-s',
      'up',
      '-x',
      '120',
      '-y',
      '40',
      '-c',
      project.root,
      ...env.flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      `${process.execPath} ${bin} up; echo "poly exited $?"; sleep 60`,
    );
    await waitFor(
      'both services healthy on screen',
      () => (screen().match(/ healthy /g) ?? []).length === 2 && screen(),
      30_000,
    );
    let text = screen();
    assert.match(text, /poly up — t /);
    assert.match(text, /db\s+healthy\s+node@20\s+http:\/\/127\.0\.0\.1:\d+\s+GET \/health\s+0/);
    assert.match(text, /logs: db[\s\S]*listening on/);

    tmux('send-keys', '-t', 'up', 'Down');
    tmux('send-keys', '-t', 'up', 'r');
    await waitFor(
      'api restarted',
      () => /api\s+healthy\s+node@20\s+\S+\s+GET \/health\s+1 /.test(screen()),
      20_000,
    );
    assert.match(screen(), /restarted api/);

    tmux('send-keys', '-t', 'up', 'l');
    await waitFor('logs hidden', () => !/logs: api/.test(screen()));

    tmux('send-keys', '-t', 'up', 'q');
    text = await waitFor('poly to exit', () => /poly exited 0/.test(screen()) && screen(), 30_000);
    assert.deepEqual(processesWithToken(project.token), []);
  });
});
