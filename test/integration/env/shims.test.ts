import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { storeLayout } from '../../../src/core/store/layout.js';
import { refreshShims } from '../../../src/services/install/shims.js';
import { createEnvSandbox, type EnvSandbox } from '../../helpers/env-sandbox.js';

// Shims as editors, cron and scripts meet them: a non-interactive `sh -c` with the shims first on PATH.
describe('shims', () => {
  let box: EnvSandbox;
  let shims: string;
  let a: string;
  let b: string;
  before(() => {
    box = createEnvSandbox({ node22: true });
    const layout = storeLayout(box.env);
    refreshShims(layout, { os: process.platform, arch: process.arch });
    shims = layout.shims;
    a = box.project(
      'a',
      `[runtimes]\nnode = "${box.seeded.node22 ?? box.seeded.node}"\n[env]\nFROM_A = "yes"\n`,
    );
    b = box.project('b', `[runtimes]\nnode = "${box.seeded.node}"\ngo = "${box.seeded.go ?? 'system'}"\n`);
  });
  after(() => box.cleanup());

  const sh = (cwd: string, script: string, extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnSync('/bin/sh', ['-c', script], {
      cwd,
      env: { ...box.env, PATH: `${shims}:${box.env.PATH}`, ...extraEnv },
      encoding: 'utf8',
    });

  it('writes one shim per binary of every installed toolchain', () => {
    for (const name of ['node', 'npm', 'npx']) assert.ok(existsSync(join(shims, name)), name);
    if (box.seeded.go) assert.ok(existsSync(join(shims, 'gofmt')));
    if (box.seeded.java) assert.ok(existsSync(join(shims, 'javac')));
    if (box.seeded.python) assert.ok(existsSync(join(shims, 'pip3')));
    if (box.seeded.rust) assert.ok(existsSync(join(shims, 'cargo')));
  });

  it("runs each project's pinned node, with the project's environment, from sh -c", () => {
    const inA = sh(a, 'node -p "process.version + \\" \\" + process.env.FROM_A"');
    assert.equal(inA.status, 0, inA.stderr);
    assert.equal(inA.stdout.trim(), `v${box.seeded.node22 ?? box.seeded.node} yes`);
    const inB = sh(join(b), 'node -v');
    assert.equal(inB.stdout.trim(), `v${box.seeded.node}`);
  });

  it('with a fresh cache it does not start poly', () => {
    sh(a, 'node -e 0'); // writes the cache when stale
    // With POLY pointing nowhere, only the sh fast path can succeed.
    const r = spawnSync('sh', ['-c', 'node -v'], {
      cwd: a,
      env: {
        ...box.env,
        PATH: `${shims}:${box.env.PATH}`,
        NODE_OPTIONS: '--require=/nonexistent-poly-guard.js',
      },
      encoding: 'utf8',
    });
    // A poly start would have failed on NODE_OPTIONS; the pinned node gets it too, so ask -v (parsed before it).
    assert.equal(r.stdout.trim(), `v${box.seeded.node22 ?? box.seeded.node}`);
  });

  it('falls back to poly when the manifest changed, and rewrites the cache', () => {
    const cache = join(a, '.poly', 'env.sh');
    const before = statSync(cache).mtimeMs;
    const toml = join(a, 'poly.toml');
    writeFileSync(toml, `[runtimes]\nnode = "${box.seeded.node}"\n`);
    const later = Date.now() / 1000 + 5;
    utimesSync(toml, later, later);
    assert.equal(sh(a, 'node -v').stdout.trim(), `v${box.seeded.node}`);
    assert.notEqual(statSync(cache).mtimeMs, before);
    assert.match(readFileSync(cache, 'utf8'), new RegExp(`node/${box.seeded.node}/bin`));
  });

  it('outside any project falls through to the next binary on PATH', () => {
    const r = sh(box.dir, 'node -p process.execPath; command -v node');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[1], join(shims, 'node'));
    assert.ok(!r.stdout.split('\n')[0]?.startsWith(box.home), r.stdout);
  });

  it('inside a project that does not pin the runtime, falls through too', () => {
    if (!box.seeded.go) return;
    const r = sh(a, 'go version');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /go version/);
  });

  it('a name nothing provides exits 127', () => {
    const r = sh(box.dir, `"${shims}/node"`, { PATH: shims });
    assert.equal(r.status, 127);
    assert.match(r.stderr, /node: command not found/);
  });

  it('refreshing removes shims for names no toolchain has, and leaves files poly did not write', () => {
    writeFileSync(join(shims, 'mine'), '#!/bin/sh\necho mine\n', { mode: 0o755 });
    writeFileSync(
      join(shims, 'gone-tool'),
      readFileSync(join(shims, 'node'), 'utf8').replaceAll('node', 'gone-tool'),
      {
        mode: 0o755,
      },
    );
    const { removed } = refreshShims(storeLayout(box.env), { os: process.platform, arch: process.arch });
    assert.deepEqual(removed, ['gone-tool']);
    assert.ok(existsSync(join(shims, 'mine')));
    assert.ok(existsSync(join(shims, 'node')));
  });
});
