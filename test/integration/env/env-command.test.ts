import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testContext } from '../../helpers/context.js';
import { createEnvSandbox, type EnvSandbox, POLY_BIN } from '../../helpers/env-sandbox.js';

describe('poly env, hook-env, doctor', () => {
  let box: EnvSandbox;
  let outside: string;
  before(() => {
    box = createEnvSandbox();
    outside = join(box.dir, 'elsewhere');
    mkdirSync(outside);
  });
  after(() => box.cleanup());

  const poly = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [POLY_BIN, ...args], { cwd, env: { ...box.env, ...env }, encoding: 'utf8' });

  it('outside any project uses the global poly.toml; a project file wins over it', () => {
    const empty = poly(outside, ['env', '--json']);
    assert.equal(JSON.parse(empty.stdout).source, 'none');
    writeFileSync(
      join(box.configDir, 'poly.toml'),
      `[runtimes]\nnode = "${box.seeded.node}"\n[env]\nFROM = "global"\n`,
    );
    const global = JSON.parse(poly(outside, ['env', '--json']).stdout);
    assert.equal(global.source, 'global');
    assert.equal(global.set.FROM, 'global');
    assert.equal(global.pathPrepend[0], join(box.installs, 'node', box.seeded.node ?? '', 'bin'));
    const project = box.project('p', '[env]\nFROM = "project"\n');
    const local = JSON.parse(poly(project, ['env', '--json']).stdout);
    assert.equal(local.source, 'project');
    assert.deepEqual(local.set, { FROM: 'project' });
    assert.deepEqual(local.pathPrepend, []);
  });

  it('--shell prints lines each shell can eval', () => {
    const project = box.project('lines', `[runtimes]\nnode = "${box.seeded.node}"\n[env]\nX = "a b"\n`);
    const bash = poly(project, ['env', '--shell', 'bash']).stdout;
    assert.match(bash, /^export PATH='.*\/node\/.*\/bin'"\$\{PATH:\+:\$PATH\}"$/m);
    assert.match(bash, /^export X='a b'$/m);
    assert.match(poly(project, ['env', '-s', 'fish']).stdout, /^set -gx X 'a b'$/m);
    assert.equal(poly(project, ['env', '--shell', 'tcsh']).status, 2);
  });

  it('hook-env reports a broken poly.toml once, as a notice the cache keeps', () => {
    const project = box.project('broken', '[runtimes\nnode = "22"\n');
    const r = poly(project, ['hook-env', 'bash']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^__poly_notice '.*poly\.toml:1:.*'$/m);
    assert.match(readFileSync(join(project, '.poly', 'env.sh'), 'utf8'), /__poly_notice/);
  });

  it('doctor names what is missing and what shadows poly, with fixes, and exits 1 on a failure', () => {
    const project = box.project('doc', `[runtimes]\nnode = "${box.seeded.node}"\npython = "2.0"\n`);
    const fakeNvm = join(box.dir, '.nvm', 'versions', 'node', 'v18.0.0', 'bin');
    mkdirSync(fakeNvm, { recursive: true });
    writeFileSync(join(fakeNvm, 'node'), '#!/bin/sh\n', { mode: 0o755 });
    const r = poly(project, ['doctor', '--json'], {
      PATH: `${fakeNvm}:${process.env.PATH}`,
      POLY_SHELL_HOOK: 'bash',
    });
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    const byId = (id: string) => report.findings.filter((f: { id: string }) => f.id === id);
    assert.equal(byId('activation')[0].status, 'ok');
    assert.match(byId('pins-installed')[0].message, /python@2\.0 .*is not installed/);
    assert.match(byId('pins-installed')[0].fix, /poly install/);
    const shadow = byId('shadowed').find((f: { message: string }) => f.message.startsWith('node '));
    assert.match(shadow.message, /\(nvm\)/);
    assert.match(shadow.fix, /nvm/);
  });

  it('doctor without hook or shims says how to set one up', () => {
    const r = poly(outside, ['doctor', '--json'], { SHELL: '/usr/bin/zsh', HOME: box.dir });
    const activation = JSON.parse(r.stdout).findings.find((f: { id: string }) => f.id === 'activation');
    assert.equal(activation.status, 'error');
    assert.match(activation.fix, /poly activate zsh/);
  });

  it('environmentForProject gives poly up the full environment of a project', async () => {
    const { environmentForProject } = await import('../../../src/services/env/project-env.js');
    const project = box.project('up', `[runtimes]\nnode = "${box.seeded.node}"\n[env]\nSVC = "1"\n`);
    const saved = { ...process.env };
    Object.assign(process.env, { POLY_HOME: box.home, POLY_CONFIG_DIR: box.configDir });
    try {
      const env = await environmentForProject(project, { ctx: testContext(process.env) });
      assert.equal(env.SVC, '1');
      assert.ok(env.PATH?.startsWith(join(box.installs, 'node', box.seeded.node ?? '', 'bin')));
      assert.equal(env.HOME, process.env.HOME);
    } finally {
      process.env = saved;
    }
  });
});
