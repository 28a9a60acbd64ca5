import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeFileAtomic } from '../../../src/core/store/atomic-write.js';
import { POLY_BIN } from '../../helpers/poly-cli.js';

// #17 items 2-4: poly.toml and poly.lock behind symlinks, read-only and group-owned files,
// and `poly new` into a folder that is a link out of the project. The real CLI, real files.
describe('rewriting poly.toml safely', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'poly-rewrite-'));
    chmodSync(dir, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const env = (home: string) => ({
    ...process.env,
    POLY_HOME: join(home, '.poly-home'),
    POLY_CONFIG_DIR: join(home, '.poly-config'),
    HOME: home, // oclif reads its data dir under HOME; as nobody /root is not readable
    CI: '',
    NO_COLOR: '1',
  });
  /** Runs poly as the user `nobody` when the tests run as root (a non-root user who owns the folder). */
  const poly = (args: string[], cwd: string, asNobody = false) => {
    const node = [process.execPath, POLY_BIN, ...args];
    const [file, ...rest] =
      asNobody && process.getuid?.() === 0
        ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node]
        : node;
    return spawnSync(file as string, rest, { cwd, env: env(cwd), encoding: 'utf8' });
  };
  const project = (name: string, toml = '[runtimes]\nnode = "22"\n') => {
    const root = join(dir, name);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'poly.toml'), toml);
    return root;
  };

  it('poly use writes through a symlinked poly.toml: the link stays, its target changes', () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    writeFileSync(join(shared, 'poly.toml'), '[runtimes]\nnode = "22"\n');
    const p = join(dir, 'linked');
    mkdirSync(p);
    symlinkSync('../shared/poly.toml', join(p, 'poly.toml'));
    const r = poly(['use', 'node@20', '--no-install'], p);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(lstatSync(join(p, 'poly.toml')).isSymbolicLink(), 'poly.toml is still a link');
    assert.equal(readFileSync(join(shared, 'poly.toml'), 'utf8'), '[runtimes]\nnode = "20"\n');
    assert.deepEqual(readdirSync(shared), ['poly.toml'], 'no temp file left beside the target');
  });

  it('poly.lock behind a chain of links is written through, in the target folder', () => {
    const real = join(dir, 'lock-target');
    mkdirSync(real);
    writeFileSync(join(real, 'poly.lock'), 'old\n');
    const p = join(dir, 'lock-linked');
    mkdirSync(p);
    symlinkSync(join(real, 'poly.lock'), join(p, 'middle.lock'));
    symlinkSync('middle.lock', join(p, 'poly.lock'));
    writeFileAtomic(join(p, 'poly.lock'), 'new\n');
    assert.ok(lstatSync(join(p, 'poly.lock')).isSymbolicLink());
    assert.ok(lstatSync(join(p, 'middle.lock')).isSymbolicLink());
    assert.equal(readFileSync(join(real, 'poly.lock'), 'utf8'), 'new\n');
  });

  it('a read-only poly.toml is refused, even for a user who owns the folder, and left as it was', () => {
    const p = project('readonly');
    chmodSync(join(p, 'poly.toml'), 0o444);
    if (process.getuid?.() === 0) {
      chownSync(p, 65534, 65534);
      chownSync(join(p, 'poly.toml'), 65534, 65534);
    }
    const r = poly(['use', 'node@20', '--no-install'], p, true);
    assert.equal(r.status, 1, r.stdout);
    assert.equal(
      r.stderr.trim(),
      [
        `error: ${join(p, 'poly.toml')} is read-only; poly left it unchanged`,
        `hint: Make it writable (chmod u+w ${join(p, 'poly.toml')}) and run the command again, or edit it yourself.`,
      ].join('\n'),
    );
    assert.equal(readFileSync(join(p, 'poly.toml'), 'utf8'), '[runtimes]\nnode = "22"\n');
    assert.equal(statSync(join(p, 'poly.toml')).mode & 0o777, 0o444);
  });

  it('keeps mode and group of poly.toml across an edit', (t) => {
    const p = project('group');
    const file = join(p, 'poly.toml');
    const otherGroup =
      process.getuid?.() === 0 ? 4242 : process.getgroups?.().find((g) => g !== process.getgid?.());
    if (otherGroup === undefined) {
      if (process.env.CI === 'true') throw new Error('CI needs root or a second group');
      return t.skip('no second group to give the file');
    }
    chownSync(file, process.getuid?.() ?? 0, otherGroup);
    chmodSync(file, 0o640);
    const r = poly(['use', 'node@20', '--no-install'], p);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(file, 'utf8'), '[runtimes]\nnode = "20"\n');
    const after = statSync(file);
    assert.equal(after.mode & 0o7777, 0o640);
    assert.equal(after.gid, otherGroup);
  });

  it('poly config set keeps the settings file a link, with its mode and group', (t) => {
    const p = join(dir, 'settings');
    const config = join(p, '.poly-config');
    mkdirSync(config, { recursive: true });
    writeFileSync(join(p, 'real.json'), '{}\n');
    symlinkSync('../real.json', join(config, 'config.json'));
    const otherGroup =
      process.getuid?.() === 0 ? 4242 : process.getgroups?.().find((g) => g !== process.getgid?.());
    if (otherGroup === undefined) {
      if (process.env.CI === 'true') throw new Error('CI needs root or a second group');
      return t.skip('no second group to give the file');
    }
    chownSync(join(p, 'real.json'), process.getuid?.() ?? 0, otherGroup);
    chmodSync(join(p, 'real.json'), 0o640);
    const r = poly(['config', 'set', 'mode', 'container'], p);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(lstatSync(join(config, 'config.json')).isSymbolicLink());
    assert.match(readFileSync(join(p, 'real.json'), 'utf8'), /"mode": "container"/);
    const after = statSync(join(p, 'real.json'));
    assert.deepEqual([after.mode & 0o7777, after.gid], [0o640, otherGroup]);
  });

  it('poly new refuses a service folder behind a link out of the project and writes nothing', () => {
    const p = project('scaffold', '[project]\nname = "scaffold"\n');
    const outside = join(dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'mine.txt'), 'untouched');
    symlinkSync(outside, join(p, 'services'));
    const before = readFileSync(join(p, 'poly.toml'), 'utf8');
    const r = poly(['new', 'express', 'api', '--no-install'], p);
    assert.equal(r.status, 1, r.stdout);
    assert.match(
      r.stderr,
      new RegExp(
        `^error: ${join(p, 'services', 'api')} leads outside the project: ${join(p, 'services')} is a link to ${outside}\n`,
      ),
    );
    assert.deepEqual(readdirSync(outside), ['mine.txt'], 'nothing written (nor removed) outside');
    assert.equal(readFileSync(join(p, 'poly.toml'), 'utf8'), before);
  });

  it('poly new with a read-only poly.toml stops before writing any file', () => {
    const p = project('scaffold-ro', '[project]\nname = "ro"\n');
    chmodSync(join(p, 'poly.toml'), 0o444);
    const r = poly(['new', 'express', 'api', '--no-install'], p);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /poly\.toml is read-only; poly left it unchanged/);
    assert.equal(existsSync(join(p, 'services')), false, 'no service folder was made');
  });
});
