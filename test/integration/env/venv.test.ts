import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readPyvenvCfg } from '../../../src/core/env/venv.js';
import { loadEnvironment } from '../../../src/services/env/project-env.js';
import { testContext } from '../../helpers/context.js';
import { createEnvSandbox, type EnvSandbox, POLY_BIN } from '../../helpers/env-sandbox.js';

// Real venvs from real Pythons (this machine's pyenv builds, seeded as installs).
const py311 = join(homedir(), '.pyenv', 'versions', '3.11.7');

describe('python venv', () => {
  let box: EnvSandbox;
  let project: string;
  before(() => {
    box = createEnvSandbox();
    if (existsSync(py311)) symlinkSync(py311, join(box.installs, 'python', '3.11.7'));
    project = box.project('py', '[runtimes]\npython = "3.12"\n');
  });
  after(() => box.cleanup());

  it('is created on first use with the pinned python and is first on PATH', {
    skip: !existsSync(join(homedir(), '.pyenv', 'versions', '3.12.1')) && 'no python 3.12.1 here',
  }, async () => {
    const notices: string[] = [];
    const delta = await loadEnvironment({
      cwd: project,
      ctx: testContext(box.env),
      onEvent: (e) => notices.push(e.message),
    });
    assert.equal(readPyvenvCfg(join(project, '.venv'))?.version, '3.12.1');
    assert.deepEqual(notices, ['creating .venv with python 3.12.1']);
    assert.equal(delta.pathPrepend[0], join(project, '.venv', 'bin'));
    const r = spawnSync(
      process.execPath,
      [POLY_BIN, 'exec', '--', 'python', '-c', 'import sys; print(sys.prefix)'],
      {
        cwd: project,
        env: box.env,
        encoding: 'utf8',
      },
    );
    assert.equal(r.stdout.trim(), join(project, '.venv'));
  });

  it('is kept while the pin stays, and rebuilt when the pinned Python changes', {
    skip: !existsSync(py311) && 'no python 3.11.7 here',
  }, async () => {
    const cfg = join(project, '.venv', 'pyvenv.cfg');
    const first = statSync(cfg).ino;
    writeFileSync(join(project, 'poly.toml'), '[runtimes]\npython = "3.12"\n# touched\n');
    await loadEnvironment({ cwd: project, ctx: testContext(box.env) });
    assert.equal(statSync(cfg).ino, first, 'an unchanged pin must not rebuild the venv');
    writeFileSync(join(project, 'poly.toml'), '[runtimes]\npython = "3.11"\n');
    const notices: string[] = [];
    await loadEnvironment({
      cwd: project,
      ctx: testContext(box.env),
      onEvent: (e) => notices.push(e.message),
    });
    assert.equal(readPyvenvCfg(join(project, '.venv'))?.version, '3.11.7');
    assert.deepEqual(notices, ['rebuilding .venv with python 3.11.7']);
  });

  it('never deletes a folder that is not a venv, and applies the rest without it', async () => {
    const other = box.project('foreign', '[runtimes]\npython = "3.12"\n');
    mkdirSync(join(other, '.venv'));
    writeFileSync(join(other, '.venv', 'precious.txt'), 'keep me');
    const delta = await loadEnvironment({ cwd: other, ctx: testContext(box.env) });
    assert.equal(readFileSync(join(other, '.venv', 'precious.txt'), 'utf8'), 'keep me');
    // The rest of the environment still applies, without the venv, and says why.
    assert.equal(delta.venv, undefined);
    assert.equal(delta.set.VIRTUAL_ENV, undefined);
    assert.deepEqual(delta.pathPrepend, [join(box.installs, 'python', '3.12.1', 'bin')]);
    assert.match(delta.notices.join('\n'), /\.venv exists but is not a virtualenv/);
  });

  it('is not made with venv = false', async () => {
    const off = box.project('novenv', '[runtimes]\npython = { version = "3.12", venv = false }\n');
    const delta = await loadEnvironment({ cwd: off, ctx: testContext(box.env) });
    assert.equal(delta.venv, undefined);
    assert.equal(existsSync(join(off, '.venv')), false);
  });
});
