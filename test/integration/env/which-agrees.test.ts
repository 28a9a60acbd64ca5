import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEnvSandbox, type EnvSandbox, POLY_BIN } from '../../helpers/env-sandbox.js';

// #17 messages: `poly which X` names what `poly exec X` runs: the venv's pip in a Python
// project, the global pins outside any project.
describe('poly which agrees with poly exec', () => {
  let box: EnvSandbox;
  before(() => {
    box = createEnvSandbox();
  });
  after(() => box.cleanup());
  const poly = (args: string[], cwd: string) =>
    spawnSync(process.execPath, [POLY_BIN, ...args], { cwd, env: { ...box.env, CI: '' }, encoding: 'utf8' });

  it("in a Python project: the venv's pip, the one exec runs", (t) => {
    if (!box.seeded.python) {
      if (process.env.CI === 'true') throw new Error('CI needs pyenv python 3.12.1');
      return t.skip('no python 3.12.1 here');
    }
    const p = box.project('py', `[runtimes]\npython = "${box.seeded.python}"\n`);
    const ran = poly(['exec', '--', 'sh', '-c', 'command -v pip'], p);
    assert.equal(ran.status, 0, ran.stderr);
    const which = poly(['which', 'pip'], p);
    assert.equal(which.status, 0, which.stderr);
    assert.equal(which.stdout.trim(), join(p, '.venv', 'bin', 'pip'));
    assert.equal(which.stdout.trim(), ran.stdout.trim());
  });

  it('outside any project: the globally pinned node, the one exec runs', () => {
    writeFileSync(join(box.configDir, 'poly.toml'), `[runtimes]\nnode = "${box.seeded.node}"\n`);
    const outside = join(box.dir, 'nowhere');
    mkdirSync(outside);
    const ran = poly(['exec', '--', 'sh', '-c', 'command -v node'], outside);
    const which = poly(['which', 'node'], outside);
    assert.equal(which.status, 0, which.stderr);
    assert.equal(realpathSync(which.stdout.trim()), realpathSync(ran.stdout.trim()));
    assert.ok(which.stdout.trim().startsWith(join(box.installs, 'node')));
  });
});
