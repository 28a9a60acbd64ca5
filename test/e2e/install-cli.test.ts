import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  mountAllRuntimes,
  type TempPoly,
  tempPoly,
  VERSIONS,
  writeManifest,
} from '../helpers/install-fixtures.js';
import { startTinyDistServer, type TinyDistServer } from '../helpers/tiny-dist-server.js';

const POLY = fileURLToPath(new URL('../../../bin/run.cjs', import.meta.url));
const run = promisify(execFile);

describe('poly install, ls, which, ls-remote, outdated, upgrade, uninstall, prune (CLI)', () => {
  let server: TinyDistServer;
  let t: TempPoly;
  const poly = async (args: string[], cwd = t.project) => {
    try {
      const r = await run(process.execPath, [POLY, ...args], { cwd, env: t.env });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  before(async () => {
    server = await startTinyDistServer();
    t = tempPoly({ ...mountAllRuntimes(server), CI: 'true' });
    writeManifest(t.project, 'node = "22"\ngo = "1.22"\nrust = "stable"');
  });
  after(async () => {
    await server.close();
    t.cleanup();
  });

  it('install prints a line per step without a terminal, then the no-op answers fast-path', async () => {
    const first = await poly(['install']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /node: 22 -> 22\.11\.0/);
    assert.match(first.stderr, /rust 1\.82\.0: installed in /);
    assert.match(first.stdout, /Installed 3 runtime\(s\)/);
    const again = await poly(['install']);
    assert.equal(again.stdout.trim(), 'All 3 runtime(s) already installed.');
  });

  it('install --json returns the typed result', async () => {
    const r = await poly(['install', '--json']);
    const json = JSON.parse(r.stdout) as {
      runtimes: { runtime: string; version: string }[];
      lockWritten: boolean;
    };
    assert.deepEqual(json.runtimes.map((x) => `${x.runtime}@${x.version}`).sort(), [
      'go@1.22.7',
      'node@22.11.0',
      'rust@1.82.0',
    ]);
    assert.equal(json.lockWritten, false);
  });

  it('which and ls', async () => {
    const which = await poly(['which', 'cargo']);
    assert.equal(which.stdout.trim(), join(t.home, 'installs', 'rust', VERSIONS.rust, 'bin', 'cargo'));
    const missing = await poly(['which', 'javac']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no toolchain this project pins provides "javac"/);
    writeManifest(t.project, 'node = "22"\ngo = "1.22"\nrust = "stable"\npython = "3.12"');
    const ls = JSON.parse((await poly(['ls', '--json'])).stdout) as {
      installed: { runtime: string; version: string; used: boolean }[];
      missing: { runtime: string }[];
    };
    assert.ok(ls.installed.every((e) => e.used));
    assert.deepEqual(
      ls.missing.map((m) => m.runtime),
      ['python'],
    );
    writeManifest(t.project, 'node = "22"\ngo = "1.22"\nrust = "stable"');
  });

  it('ls-remote with a prefix, and a usage error for an unknown runtime', async () => {
    const r = JSON.parse((await poly(['ls-remote', 'node', '22', '--json'])).stdout) as {
      versions: { version: string }[];
    };
    assert.deepEqual(
      r.versions.map((v) => v.version),
      ['22.11.0', '22.10.0'],
    );
    const bad = await poly(['ls-remote', 'nod']);
    assert.equal(bad.code, 2);
  });

  it('outdated, then upgrade --bump moves the spec and the lock', async () => {
    writeManifest(t.project, 'node = "20"\ngo = "1.22"\nrust = "stable"');
    assert.equal((await poly(['install'])).code, 0);
    const rows = JSON.parse((await poly(['outdated', '--json'])).stdout) as {
      runtime: string;
      current: string;
      latest: string;
      outdated: boolean;
    }[];
    const node = rows.find((r) => r.runtime === 'node');
    assert.deepEqual([node?.current, node?.latest, node?.outdated], ['20.18.1', '23.3.0', true]);
    const up = await poly(['upgrade', 'node', '--bump']);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /node "20" -> "23"/);
    assert.match((await poly(['which', 'node'])).stdout, /installs\/node\/23\.3\.0\/bin\/node/);
  });

  it('uninstall and prune', async () => {
    const u = await poly(['uninstall', 'node@22.11.0']);
    assert.equal(u.code, 0, u.stderr);
    assert.ok(!existsSync(join(t.home, 'installs', 'node', '22.11.0')));
    const notThere = await poly(['uninstall', 'node@9.9.9']);
    assert.match(notThere.stderr, /node 9\.9\.9 is not installed/);
    const dry = JSON.parse((await poly(['prune', '--dry-run', '--json'])).stdout) as {
      removed: { runtime: string; version: string }[];
    };
    assert.deepEqual(
      dry.removed.map((r) => `${r.runtime}@${r.version}`),
      ['node@20.18.1'],
    );
    assert.ok(existsSync(join(t.home, 'installs', 'node', '20.18.1')));
    // Another project that poly has seen keeps its version.
    const other = join(t.root, 'other');
    writeManifest(other, 'node = "20"');
    assert.equal((await poly(['install'], other)).code, 0);
    const kept = JSON.parse((await poly(['prune', '--json'])).stdout) as { removed: unknown[] };
    assert.deepEqual(kept.removed, []);
    writeFileSync(join(other, 'poly.toml'), '');
    const { rmSync } = await import('node:fs');
    rmSync(other, { recursive: true, force: true });
    const pruned = JSON.parse((await poly(['prune', '--json'])).stdout) as {
      removed: { version: string }[];
      forgotten: string[];
    };
    assert.deepEqual(
      pruned.removed.map((r) => r.version),
      ['20.18.1'],
    );
    assert.deepEqual(pruned.forgotten, [other]);
    assert.ok(!existsSync(join(t.home, 'installs', 'node', '20.18.1')));
    assert.ok(existsSync(join(t.home, 'installs', 'node', '23.3.0')));
  });
});
