import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { isProcessRunning } from '../../src/core/supervisor/process-alive.js';
import { projectMarkerKey } from '../../src/core/supervisor/process-tree.js';
import { POLY_BIN, polyIn } from '../helpers/poly-cli.js';
import { makeServicesProject, processesWithToken, waitFor } from '../helpers/services-project.js';

const poly = (env: NodeJS.ProcessEnv, cwd: string, ...args: string[]) => polyIn(env, cwd, args);

// A service that daemonizes: the double fork + setsid leaves the service's process group and session.
const daemonizing = `[services.daemon]
run = "sh -c 'setsid sh -c \\"echo daemon up; exec sleep 300\\" &' ; echo parent; exec sleep 301"
stop_timeout = "2s"
`;

function supervisorPid(root: string): number {
  return (JSON.parse(readFileSync(join(root, '.poly/state/supervisor.json'), 'utf8')) as { pid: number }).pid;
}

/** This project's watchdog shells: they carry the project's marker key in their arguments. */
function projectWatchdogs(root: string): number[] {
  const key = `${projectMarkerKey(root)}/`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      const args = cmdline(pid);
      return args.includes('poly-watchdog') && args.includes(key);
    });
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

describe('a service that daemonizes', () => {
  const project = makeServicesProject(daemonizing);
  after(() => project.cleanup());
  afterEach(() => poly(project.env, project.root, 'down'));

  it('is stopped by poly down, and the supervisor exits with it', async () => {
    const up = await poly(project.env, project.root, 'up', '-d');
    assert.equal(up.code, 0, up.stderr);
    const supervisor = supervisorPid(project.root);
    // The daemon's own session: it is not in the service's process group.
    await waitFor('the daemon', () => processesWithToken(project.token).length >= 2);

    const down = await poly(project.env, project.root, 'down');
    assert.equal(down.code, 0, down.stderr);
    assert.equal(down.stdout, 'Stopped daemon.\n');
    assert.deepEqual(processesWithToken(project.token), []);
    assert.equal(isProcessRunning(supervisor), false, 'the supervisor is still alive after poly down');
  });

  it('is stopped by the watchdog when the supervisor is killed', async () => {
    const up = await poly(project.env, project.root, 'up', '-d');
    assert.equal(up.code, 0, up.stderr);
    await waitFor('the daemon', () => processesWithToken(project.token).length >= 2);
    process.kill(supervisorPid(project.root), 'SIGKILL');
    await waitFor('the daemon to be stopped', () => processesWithToken(project.token).length === 0, 15_000);
  });

  it('left by a supervisor killed with its watchdogs, is stopped by poly down', async () => {
    const up = await poly(project.env, project.root, 'up', '-d');
    assert.equal(up.code, 0, up.stderr);
    await waitFor('the daemon', () => processesWithToken(project.token).length >= 2);
    const supervisor = supervisorPid(project.root);
    const dogs = projectWatchdogs(project.root);
    assert.ok(dogs.length > 0, 'no watchdog found');
    for (const pid of dogs) process.kill(pid, 'SIGKILL');
    process.kill(supervisor, 'SIGKILL');
    await waitFor('the supervisor to end', () => !isProcessRunning(supervisor));
    assert.ok(processesWithToken(project.token).length >= 2, 'the services should outlive their watchdogs');

    const down = await poly(project.env, project.root, 'down');
    assert.equal(down.code, 0, down.stderr);
    assert.match(
      down.stdout,
      /^Stopped daemon\.\nEnded \d+ process\(es\) a killed supervisor had left running \(pid [\d, ]+\)\.\n$/,
    );
    assert.deepEqual(processesWithToken(project.token), []);
  });
});

describe('poly logs -f', () => {
  const project = makeServicesProject(`[services.talker]
run = "trap 'echo bye; exit 0' TERM; echo hello; while :; do sleep 0.1; done"
`);
  after(() => project.cleanup());
  afterEach(() => poly(project.env, project.root, 'down'));

  it('ends when poly down stops the services, after their last lines', async () => {
    const up = await poly(project.env, project.root, 'up', '-d');
    assert.equal(up.code, 0, up.stderr);
    const follow = spawn(process.execPath, [POLY_BIN, 'logs', '-f', 'talker', '-n', '5'], {
      cwd: project.root,
      env: project.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    follow.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    const exited = new Promise<number | null>((resolve) => follow.once('exit', (code) => resolve(code)));
    await waitFor('the history', () => out.includes('talker | hello'));
    const down = await poly(project.env, project.root, 'down');
    assert.equal(down.code, 0, down.stderr);
    const timeout = setTimeout(() => follow.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timeout);
    assert.equal(code, 0, 'poly logs -f was still following after poly down');
    assert.match(out, /^talker \| bye$/m);
  });
});
