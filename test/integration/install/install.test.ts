import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'smol-toml';
import { getRuntime } from '../../../runtimes/index.js';
import type { PolyError } from '../../../src/core/errors.js';
import { readManifestFile } from '../../../src/core/manifest/load.js';
import { ensureInstalled, install } from '../../../src/services/install/install.js';
import { testContext } from '../../helpers/context.js';
import { mountAllRuntimes, tempPoly, VERSIONS, writeManifest } from '../../helpers/install-fixtures.js';
import { startTinyDistServer, type TinyDistServer } from '../../helpers/tiny-dist-server.js';

const ALL_FIVE = 'node = "22"\npython = ">=3.11 <3.13"\ngo = "1.22"\njava = "temurin-21"\nrust = "stable"';

describe('poly install with all five runtimes from a mirror in the official layouts', () => {
  let server: TinyDistServer;
  let mirrors: NodeJS.ProcessEnv;
  before(async () => {
    server = await startTinyDistServer();
    mirrors = mountAllRuntimes(server);
  });
  after(() => server.close());

  it('installs every pin in one run, each binary runs, and poly.lock holds four platforms per runtime', async () => {
    const t = tempPoly(mirrors);
    try {
      writeManifest(t.project, ALL_FIVE);
      const events: string[] = [];
      const result = await install({
        cwd: t.project,
        ctx: testContext(t.env),
        onEvent: (e) => events.push(`${e.type}:${e.runtime}`),
      });
      const byName = Object.fromEntries(result.runtimes.map((r) => [r.runtime, r]));
      assert.equal(byName.node?.version, VERSIONS.node);
      assert.equal(byName.python?.version, VERSIONS.python);
      assert.equal(byName.go?.version, VERSIONS.go);
      assert.equal(byName.java?.version, `${VERSIONS.java}+${VERSIONS.javaBuild}`);
      assert.equal(byName.rust?.version, VERSIONS.rust);
      for (const r of result.runtimes) assert.equal(r.installed, true, `${r.runtime} installed now`);

      const run = (dir: string, bin: string) =>
        execFileSync(join(dir, 'bin', bin), { encoding: 'utf8' }).trim();
      assert.equal(run(byName.node!.dir, 'node'), `v${VERSIONS.node}`);
      assert.equal(run(byName.python!.dir, 'python'), `Python ${VERSIONS.python}`);
      assert.match(run(byName.python!.dir, 'pip'), /^pip /);
      assert.match(run(byName.go!.dir, 'go'), /go1\.22\.7/);
      assert.match(run(byName.java!.dir, 'java'), /21\.0\.5/);
      assert.match(run(byName.rust!.dir, 'cargo'), /^cargo 1\.82\.0/);
      assert.match(run(byName.rust!.dir, 'rustc'), /^rustc 1\.82\.0/);
      // Rust: components assembled from manifest.in; docs skipped; the installer itself not copied.
      assert.ok(existsSync(join(byName.rust!.dir, 'lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd.rlib')));
      assert.ok(!existsSync(join(byName.rust!.dir, 'share/doc/rust')));
      assert.ok(!existsSync(join(byName.rust!.dir, 'install.sh')));
      assert.deepEqual(getRuntime('java').env(byName.java!.dir, { os: 'linux', arch: 'x64' }), {
        JAVA_HOME: byName.java!.dir,
      });

      const lock = parse(readFileSync(join(t.project, 'poly.lock'), 'utf8')) as {
        runtimes: Record<
          string,
          {
            spec: string;
            version: string;
            source: string;
            platforms: Record<string, { url: string; checksum: string }>;
          }
        >;
      };
      assert.deepEqual(Object.keys(lock.runtimes), ['go', 'java', 'node', 'python', 'rust']);
      for (const [name, r] of Object.entries(lock.runtimes)) {
        assert.deepEqual(
          Object.keys(r.platforms),
          ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64'],
          name,
        );
        for (const a of Object.values(r.platforms)) assert.match(a.checksum, /^sha256:[0-9a-f]{64}$/);
      }
      // URLs under a mirror are recorded as official ones, so the lock does not depend on the machine's mirror.
      assert.equal(
        lock.runtimes.node?.platforms['linux-x64']?.url,
        `https://nodejs.org/dist/v${VERSIONS.node}/node-v${VERSIONS.node}-linux-x64.tar.gz`,
      );
      assert.equal(lock.runtimes.java?.source, 'temurin');
      assert.ok(
        events.includes('verify:node') && events.includes('unpack:rust') && events.includes('done:go'),
      );

      // A second run changes nothing and asks the network for nothing.
      const before = readFileSync(join(t.project, 'poly.lock'), 'utf8');
      const hits = server.hits.length;
      const again = await install({ cwd: t.project, ctx: testContext(t.env) });
      assert.equal(server.hits.length, hits);
      assert.equal(again.lockWritten, false);
      assert.ok(again.runtimes.every((r) => !r.installed));
      assert.equal(readFileSync(join(t.project, 'poly.lock'), 'utf8'), before);

      // --frozen in a fresh POLY_HOME reproduces the same versions from the lock alone.
      const fresh = tempPoly(mirrors);
      try {
        const frozen = await install({ cwd: t.project, ctx: testContext(fresh.env), frozen: true });
        assert.deepEqual(
          frozen.runtimes.map((r) => `${r.runtime}@${r.version}`).sort(),
          result.runtimes.map((r) => `${r.runtime}@${r.version}`).sort(),
        );
        assert.equal(readFileSync(join(t.project, 'poly.lock'), 'utf8'), before);
      } finally {
        fresh.cleanup();
      }
    } finally {
      t.cleanup();
    }
  });

  it('--frozen fails when poly.toml and poly.lock disagree', async () => {
    const t = tempPoly(mirrors);
    try {
      writeManifest(t.project, 'node = "22"');
      await install({ cwd: t.project, ctx: testContext(t.env) });
      writeManifest(t.project, 'node = "20"');
      await assert.rejects(
        install({ cwd: t.project, ctx: testContext(t.env), frozen: true }),
        (err: PolyError) => {
          assert.equal(err.code, 'LOCK_MISMATCH');
          assert.match(err.message, /node: poly\.toml says "20".*poly\.lock was resolved from "22"/);
          return true;
        },
      );
      writeManifest(t.project, 'node = "22"\ngo = "1.22"');
      await assert.rejects(
        install({ cwd: t.project, ctx: testContext(t.env), frozen: true }),
        /go is pinned to "1.22" but poly.lock has no entry/,
      );
    } finally {
      t.cleanup();
    }
  });

  it('a changed pin re-resolves and rewrites its lock entry only', async () => {
    const t = tempPoly(mirrors);
    try {
      writeManifest(t.project, 'node = "22"\ngo = "1.22"');
      await install({ cwd: t.project, ctx: testContext(t.env) });
      writeManifest(t.project, 'node = "lts/iron"\ngo = "1.22"');
      const r = await install({ cwd: t.project, ctx: testContext(t.env) });
      assert.equal(r.runtimes.find((x) => x.runtime === 'node')?.version, '20.18.1');
      const lock = readFileSync(join(t.project, 'poly.lock'), 'utf8');
      assert.match(lock, /spec = "lts\/iron"\nversion = "20.18.1"/);
      assert.match(lock, /spec = "1.22"\nversion = "1.22.7"/);
    } finally {
      t.cleanup();
    }
  });

  it('offline: resolves from the cache and installed versions, and says so when it cannot', async () => {
    const t = tempPoly(mirrors);
    try {
      writeManifest(t.project, 'node = "22"');
      await assert.rejects(
        install({ cwd: t.project, ctx: testContext(t.env), offline: true }),
        (err: PolyError) => {
          assert.match(err.code, /^OFFLINE_/);
          assert.match(`${err.message} ${err.hint}`, /without --offline/);
          return true;
        },
      );
      await install({ cwd: t.project, ctx: testContext(t.env) });
      writeFileSync(join(t.project, 'poly.lock'), '');
      const hits = server.hits.length;
      const r = await install({ cwd: t.project, ctx: testContext({ ...t.env, POLY_OFFLINE: '1' }) });
      assert.equal(server.hits.length, hits);
      assert.equal(r.runtimes[0]?.version, VERSIONS.node);
      const ensured = await ensureInstalled(readManifestFile(join(t.project, 'poly.toml')), {
        offline: true,
        ctx: testContext(t.env),
      });
      assert.equal(ensured.node?.version, VERSIONS.node);
    } finally {
      t.cleanup();
    }
  });

  it('installs runtime@spec targets without a project (unpacking with the tar package)', async () => {
    const t = tempPoly({ ...mirrors, POLY_SYSTEM_TAR: '0' });
    try {
      const r = await install({
        cwd: t.root,
        ctx: testContext(t.env),
        targets: ['node@20', 'java@temurin-21'],
      });
      assert.deepEqual(
        r.runtimes.map((x) => x.version),
        ['20.18.1', '21.0.5+11'],
      );
      assert.equal(
        execFileSync(join(r.runtimes[0]!.dir, 'bin', 'node'), { encoding: 'utf8' }).trim(),
        'v20.18.1',
      );
      assert.equal(r.lockWritten, false);
    } finally {
      t.cleanup();
    }
  });
});
