import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PolyError } from '../../../src/core/errors.js';
import { install } from '../../../src/services/install/install.js';
import { testContext } from '../../helpers/context.js';
import { nodeArchive, tempPoly, writeManifest } from '../../helpers/install-fixtures.js';
import { nodeRoutes, sameArchive } from '../../helpers/official-layouts.js';
import { type TarEntry, tarGz } from '../../helpers/tar-writer.js';
import { startTinyDistServer, type TinyDistServer } from '../../helpers/tiny-dist-server.js';

const V = '22.11.0';
const ARCHIVE = `/node/v${V}/node-v${V}-linux-x64.tar.gz`;

describe('install faults, each against a server that misbehaves one way', () => {
  let server: TinyDistServer;
  before(async () => {
    server = await startTinyDistServer();
    server.mount(
      '/node',
      nodeRoutes([
        { version: V, lts: 'Jod', archives: sameArchive(nodeArchive(V)) },
        { version: '22.10.0' },
        { version: '20.18.1', lts: 'Iron' },
      ]),
    );
  });
  after(() => server.close());

  async function expectFailure(runtimes: string, code: string, extraEnv: NodeJS.ProcessEnv = {}) {
    const t = tempPoly({ POLY_NODE_MIRROR: `${server.url}/node`, ...extraEnv });
    try {
      writeManifest(t.project, runtimes);
      let caught: PolyError | undefined;
      await install({ cwd: t.project, ctx: testContext(t.env) }).catch((err: PolyError) => {
        caught = err;
      });
      assert.ok(caught, 'install should fail');
      assert.equal(caught.code, code, caught.message);
      // Nothing half-installed, no temp dir left behind, no lock written.
      assert.ok(!existsSync(join(t.home, 'installs', 'node', V)));
      assert.deepEqual(existsSync(join(t.home, 'tmp')) ? readdirSync(join(t.home, 'tmp')) : [], []);
      assert.ok(!existsSync(join(t.project, 'poly.lock')));
      return caught;
    } finally {
      t.cleanup();
    }
  }

  it('checksum mismatch installs nothing and prints expected and actual', async () => {
    server.clearFaults();
    server.fault(ARCHIVE, { kind: 'replace', body: nodeArchive('6.6.6') });
    const err = await expectFailure('node = "22"', 'CHECKSUM_MISMATCH');
    assert.match(err.message, /expected sha256:[0-9a-f]{64}\n\s+actual\s+sha256:[0-9a-f]{64}/);
    server.clearFaults();
  });

  it('a truncated body is retried, then reported', async () => {
    server.clearFaults();
    server.fault(ARCHIVE, { kind: 'truncate', bytes: 100 });
    const before = server.hitCount(ARCHIVE);
    const err = await expectFailure('node = "22"', 'DOWNLOAD_FAILED');
    assert.equal(server.hitCount(ARCHIVE) - before, 3, 'one attempt and two retries');
    assert.match(err.message, /127\.0\.0\.1/);
    server.clearFaults();
  });

  it('a version that does not exist suggests the nearest ones', async () => {
    server.clearFaults();
    const err = await expectFailure('node = "22.10.7"', 'VERSION_NOT_FOUND');
    assert.match(err.hint ?? '', /Nearest versions: 22\.10\.0, 22\.11\.0, 20\.18\.1/);
    assert.match(err.hint ?? '', /poly ls-remote node/);
  });

  it('a 404 on the archive of a listed version is a clear error', async () => {
    server.clearFaults();
    server.fault(ARCHIVE, { kind: 'status', status: 404 });
    const err = await expectFailure('node = "22"', 'NOT_FOUND');
    assert.match(err.message, /node-v22\.11\.0-linux-x64\.tar\.gz was not found/);
    server.clearFaults();
  });

  it('500 then success installs', async () => {
    server.clearFaults();
    server.fault(ARCHIVE, { kind: 'status', status: 500 }, 1);
    const t = tempPoly({ POLY_NODE_MIRROR: `${server.url}/node` });
    try {
      writeManifest(t.project, 'node = "22"');
      const retries: string[] = [];
      const before = server.hitCount(ARCHIVE);
      const r = await install({
        cwd: t.project,
        ctx: testContext(t.env),
        onEvent: (e) => e.type === 'retry' && retries.push(e.reason),
      });
      assert.equal(r.runtimes[0]?.installed, true);
      assert.equal(server.hitCount(ARCHIVE) - before, 2);
      assert.match(retries[0] ?? '', /HTTP 500/);
    } finally {
      t.cleanup();
      server.clearFaults();
    }
  });

  it('a server that stalls mid-body times out', async () => {
    server.clearFaults();
    server.fault(ARCHIVE, { kind: 'stall', bytes: 20 });
    const started = Date.now();
    const err = await expectFailure('node = "22"', 'DOWNLOAD_FAILED', {
      POLY_HTTP_TIMEOUT_MS: '300',
      POLY_HTTP_RETRIES: '1',
    });
    assert.match(err.message, /timeout/);
    assert.ok(Date.now() - started < 5000);
    server.clearFaults();
  });

  it('an unreachable host is named, with how to set a mirror', async () => {
    // A port that was just free: nothing listens there.
    const closed = await startTinyDistServer();
    await closed.close();
    const host = closed.url.replace('http://', '');
    const err = await expectFailure('node = "22"', 'HOST_UNREACHABLE', {
      POLY_NODE_MIRROR: `${closed.url}/node`,
      POLY_HTTP_RETRIES: '0',
    });
    assert.ok(err.message.includes(`cannot reach ${host}`), err.message);
    assert.match(err.hint ?? '', /POLY_NODE_MIRROR=<url>.*poly config set mirror\.node/);
  });

  for (const [name, entries, reason] of [
    [
      'path traversal',
      [{ type: 'file', path: 'node-v22.11.0-linux-x64/../../evil', content: 'x' }],
      /climbs out/,
    ],
    ['an absolute path', [{ type: 'file', path: '/tmp/poly-evil', content: 'x' }], /absolute path/],
    [
      'a symlink pointing out',
      [{ type: 'symlink', path: 'node-v22.11.0-linux-x64/bin/escape', target: '../../../../etc' }],
      /symlink .* points outside/,
    ],
    [
      'an absolute symlink',
      [{ type: 'symlink', path: 'node-v22.11.0-linux-x64/bin/escape', target: '/etc/passwd' }],
      /symlink .* absolute path/,
    ],
    [
      'a hardlink pointing out',
      [{ type: 'hardlink', path: 'node-v22.11.0-linux-x64/bin/escape', target: '../outside' }],
      /hardlink .* points outside/,
    ],
  ] as const) {
    for (const [how, systemTar] of [
      ['the system tar', ''],
      ['the tar package', '0'],
    ] as const)
      it(`refuses an archive with ${name} (unpacking with ${how})`, async () => {
        const evil = tarGz([
          { type: 'file', path: 'node-v22.11.0-linux-x64/bin/node', content: '#!/bin/sh\n', mode: 0o755 },
          ...(entries as unknown as TarEntry[]),
        ]);
        const t = tempPoly();
        const local = await startTinyDistServer();
        try {
          local.mount('/node', nodeRoutes([{ version: V, archives: sameArchive(evil) }]));
          writeManifest(t.project, 'node = "22"');
          await assert.rejects(
            install({
              cwd: t.project,
              ctx: testContext({
                ...t.env,
                POLY_SYSTEM_TAR: systemTar,
                POLY_NODE_MIRROR: `${local.url}/node`,
              }),
            }),
            (err: PolyError) => {
              assert.equal(err.code, 'ARCHIVE_UNSAFE');
              assert.match(err.message, reason);
              return true;
            },
          );
          assert.ok(!existsSync(join(t.home, 'installs', 'node', V)));
          assert.ok(!existsSync(join(t.home, 'evil')) && !existsSync(join(t.root, 'evil')));
        } finally {
          await local.close();
          t.cleanup();
        }
      });
  }

  it('an unwritable POLY_HOME is an error that names it', async () => {
    const t = tempPoly({ POLY_NODE_MIRROR: `${server.url}/node` });
    try {
      // A regular file where POLY_HOME should be a folder: unwritable even for root (tests may run as root).
      const home = join(t.root, 'not-a-dir');
      writeFileSync(home, '');
      writeManifest(t.project, 'node = "22"');
      await assert.rejects(
        install({ cwd: t.project, ctx: testContext({ ...t.env, POLY_HOME: join(home, 'poly') }) }),
        (err: PolyError) => {
          assert.equal(err.code, 'STORE_UNWRITABLE');
          assert.match(err.message, /not-a-dir/);
          assert.match(err.hint ?? '', /POLY_HOME/);
          return true;
        },
      );
    } finally {
      t.cleanup();
    }
  });

  it('several runtimes failing are reported together, each under its own name and hint', async () => {
    server.clearFaults();
    // Go's mirror answers 404 for its index; node's version does not exist.
    const err = await expectFailure('node = "22.10.7"\ngo = "1.23"', 'INSTALL_FAILED', {
      POLY_GO_MIRROR: `${server.url}/no-go-here`,
    });
    const [head, nodeLine, ...rest] = err.message.split('\n');
    assert.equal(head, '2 runtimes failed to install:');
    assert.match(nodeLine ?? '', /^ {2}node: no node version matches "22\.10\.7"/);
    assert.match(rest.join('\n'), /Nearest versions: 22\.10\.0, 22\.11\.0, 20\.18\.1/);
    assert.match(rest.join('\n'), /^ {2}go: .*no-go-here/m);
    assert.equal(err.hint, 'Each failure above says how to fix it; the other runtimes were installed.');
  });
});
