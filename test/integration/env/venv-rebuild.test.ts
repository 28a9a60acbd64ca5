import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { storeLayout } from '../../../src/core/store/layout.js';
import { refreshShims } from '../../../src/services/install/shims.js';
import { createEnvSandbox, type EnvSandbox, POLY_BIN } from '../../helpers/env-sandbox.js';

const POLY_SH = fileURLToPath(new URL('../../../../bin/poly', import.meta.url));

// #17 item 1: a deleted, half-made or interrupted .venv must be rebuilt on every path
// (bin/poly's sh front, the shims, the shell hook, TypeScript), never leave the shared
// toolchain's pip in charge. The Python is this machine's pyenv 3.12.1 seeded as an install.
describe('venv: rebuilt when missing or broken, on every path', () => {
  let box: EnvSandbox;
  let shims: string;
  const skip = (): string | false => {
    if (box.seeded.python) return false;
    if (process.env.CI === 'true') throw new Error('CI needs pyenv python 3.12.1');
    return 'no python 3.12.1 here';
  };
  before(() => {
    box = createEnvSandbox();
    const layout = storeLayout(box.env);
    refreshShims(layout, { os: process.platform, arch: process.arch });
    shims = layout.shims;
  });
  after(() => box.cleanup());

  const project = (name: string) => box.project(name, `[runtimes]\npython = "${box.seeded.python}"\n`);
  const run = (file: string, args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(file, args, { cwd, env: { ...box.env, ...extra }, encoding: 'utf8' });
  const pipLocation = (cwd: string, file = POLY_SH) =>
    run(file, ['exec', '--', 'pip', '--version'], cwd).stdout.match(/ from (\S+)/)?.[1] ?? '';

  it('sh front: after rm -rf .venv, poly exec rebuilds it and runs its pip', (t) => {
    const why = skip();
    if (why) return t.skip(why);
    const p = project('sh-front');
    assert.ok(pipLocation(p).startsWith(join(p, '.venv')), 'first run creates the venv');
    rmSync(join(p, '.venv'), { recursive: true });
    // The cache in .poly/ is fresh (nothing it watches changed): only the venv check can see this.
    const r = run(POLY_SH, ['exec', '--', 'pip', '--version'], p);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(` from ${join(p, '.venv')}/`));
    assert.match(r.stderr, /poly: creating \.venv with python 3\.12\.1/);
  });

  it('shims: pip through the shims folder rebuilds a deleted venv', (t) => {
    const why = skip();
    if (why) return t.skip(why);
    const p = project('shim');
    run(POLY_BIN, ['exec', '--', 'python', '-c', '0'], p);
    rmSync(join(p, '.venv'), { recursive: true });
    const r = spawnSync('/bin/sh', ['-c', 'pip --version'], {
      cwd: p,
      env: { ...box.env, PATH: `${shims}:${box.env.PATH}` },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(` from ${join(p, '.venv')}/`));
  });

  it('shell hook: the next prompt after rm -rf .venv rebuilds it (bash)', (t) => {
    const why = skip();
    if (why) return t.skip(why);
    const p = project('hook');
    const script = [
      `eval "$(${process.execPath} ${POLY_BIN} activate bash)"`,
      `cd ${p} && __poly_hook 2>/dev/null`,
      'rm -rf .venv',
      '__poly_hook', // what PROMPT_COMMAND runs at the next prompt
      'echo "VIRTUAL_ENV=$VIRTUAL_ENV"',
      'pip --version',
    ].join('\n');
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
      cwd: box.dir,
      env: box.env,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`VIRTUAL_ENV=${join(p, '.venv')}\n`));
    assert.match(r.stdout, new RegExp(` from ${join(p, '.venv')}/`));
    assert.match(r.stderr, /creating \.venv/);
  });

  it('a venv left without pip (an older poly killed mid-creation) is rebuilt, not used', (t) => {
    const why = skip();
    if (why) return t.skip(why);
    const p = project('no-pip');
    const python = join(box.installs, 'python', box.seeded.python ?? '', 'bin', 'python3');
    assert.equal(run(python, ['-m', 'venv', '--without-pip', join(p, '.venv')], p).status, 0);
    assert.ok(pipLocation(p, POLY_BIN).startsWith(join(p, '.venv')));
  });

  it('the bare skeleton python -m venv makes before pyvenv.cfg is rebuilt, not refused as foreign', (t) => {
    const why = skip();
    if (why) return t.skip(why);
    const p = project('skeleton');
    mkdirSync(join(p, '.venv', 'lib', 'python3.12', 'site-packages'), { recursive: true });
    mkdirSync(join(p, '.venv', 'bin'));
    mkdirSync(join(p, '.venv', 'include'));
    assert.ok(pipLocation(p, POLY_BIN).startsWith(join(p, '.venv')));
  });

  it('killed while creating the venv: no .venv is left half made, the next run builds it whole', async (t) => {
    const why = skip();
    if (why) return t.skip(why);
    const p = project('killed');
    const child = spawn(process.execPath, [POLY_BIN, 'exec', '--', 'python', '-c', '0'], {
      cwd: p,
      env: box.env,
      stdio: 'ignore',
    });
    // Event-ordered: kill as soon as the build folder beside .venv exists.
    const building = await waitFor(() => readdirSync(p).find((n) => n.startsWith('.venv.poly-build-')));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.ok(building, 'the venv is built beside its place');
    assert.equal(existsSync(join(p, '.venv')), false, 'nothing half made at .venv');
    const r = run(POLY_BIN, ['exec', '--', 'pip', '--version'], p);
    assert.match(r.stdout, new RegExp(` from ${join(p, '.venv')}/`), r.stderr);
    assert.deepEqual(
      readdirSync(p).filter((n) => n.startsWith('.venv.')),
      [],
      "the killed run's build folder is removed",
    );
    // The venv names its final folder in its scripts, not the build folder.
    assert.match(
      readFileSync(join(p, '.venv', 'bin', 'pip'), 'utf8'),
      new RegExp(`^#!${join(p, '.venv')}/bin/`),
    );
    assert.equal(
      readFileSync(join(p, '.venv', '.gitignore'), 'utf8')
        .split('\n')
        .includes('*'),
      true,
    );
  });

  it('when the venv cannot be made, the toolchain pip refuses to install into the shared toolchain', (t) => {
    const why = skip();
    if (why) return t.skip(why);
    const p = project('foreign');
    mkdirSync(join(p, '.venv'));
    writeFileSync(join(p, '.venv', 'notes.txt'), 'mine');
    // --no-index and a name that exists nowhere: this never downloads nor installs anything.
    const r = run(POLY_BIN, ['exec', '--', 'pip', 'install', '--no-index', 'poly-test-no-such-package'], p);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Could not find an activated virtualenv \(required\)/);
    assert.equal(readFileSync(join(p, '.venv', 'notes.txt'), 'utf8'), 'mine');
  });
});

async function waitFor<T>(probe: () => T | undefined, limitMs = 30_000): Promise<T | undefined> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    const value = probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return undefined;
}
