import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { pickFreePort } from '../../../src/core/supervisor/ports.js';
import { createEnvSandbox, type EnvSandbox, POLY_BIN } from '../../helpers/env-sandbox.js';

// `poly doctor` in a project whose fixed port another real process (not poly) listens on.
describe('poly doctor: who holds a declared port', () => {
  let box: EnvSandbox;
  let holder: ChildProcess;
  let port: number;
  before(async () => {
    box = createEnvSandbox();
    port = await pickFreePort();
    // A server of the user's own, bound on every interface like most real servers.
    holder = spawn(
      process.execPath,
      ['-e', `require('net').createServer().listen(${port}, '0.0.0.0', () => console.log('up'))`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await once(holder.stdout as NodeJS.ReadableStream, 'data');
  });
  after(() => {
    holder?.kill();
    box.cleanup();
  });

  it('names the process and its pid, with a fix, and exits 1', () => {
    const free = box.project('free', '[services.api]\nrun = "x"\nport = "auto"\n');
    const project = box.project('taken', `[services.api]\nrun = "x"\nport = ${port}\n`);
    const doctor = (cwd: string) =>
      spawnSync(process.execPath, [POLY_BIN, 'doctor', '--json'], {
        cwd,
        env: { ...box.env, POLY_SHELL_HOOK: 'bash' },
        encoding: 'utf8',
      });
    const r = doctor(project);
    assert.equal(r.status, 1, r.stderr);
    const finding = JSON.parse(r.stdout).findings.find((f: { id: string }) => f.id === 'ports');
    assert.equal(finding?.status, 'error', r.stdout);
    assert.equal(
      finding.message.replace(/\(.*\)$/, '()'),
      `port ${port} of service api is held by pid ${holder.pid} ()`,
    );
    assert.match(finding.message, /node -e/);
    assert.match(finding.fix, new RegExp(`kill ${holder.pid}`));
    const none = JSON.parse(doctor(free).stdout).findings.filter((f: { id: string }) => f.id === 'ports');
    assert.deepEqual(none, []);
  });
});
