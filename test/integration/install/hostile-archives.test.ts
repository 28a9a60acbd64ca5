import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { PolyError } from '../../../src/core/errors.js';
import { install } from '../../../src/services/install/install.js';
import { testContext } from '../../helpers/context.js';
import { tempPoly, writeManifest } from '../../helpers/install-fixtures.js';
import { nodeRoutes, sameArchive } from '../../helpers/official-layouts.js';
import { tarGz } from '../../helpers/tar-writer.js';
import { startTinyDistServer } from '../../helpers/tiny-dist-server.js';

const V = '22.11.0';
const TOP = `node-v${V}-linux-x64`;
const tarWays = [
  ['the system tar', ''],
  ['the tar package', '0'],
] as const;

// #17 item 5: links that each stay inside, chained, lead out.
const chain = tarGz([
  { type: 'file', path: `${TOP}/bin/node`, content: '#!/bin/sh\n', mode: 0o755 },
  { type: 'dir', path: `${TOP}/a/` },
  { type: 'symlink', path: `${TOP}/a/up`, target: '..' },
  { type: 'symlink', path: `${TOP}/esc`, target: 'a/up/a/up/../..' },
]);

describe('hostile archives', () => {
  for (const [how, systemTar] of tarWays) {
    it(`refuses a symlink chain that leads out, leaving no link behind (${how})`, async () => {
      const t = tempPoly();
      const server = await startTinyDistServer();
      try {
        server.mount('/node', nodeRoutes([{ version: V, archives: sameArchive(chain) }]));
        writeManifest(t.project, 'node = "22"');
        await assert.rejects(
          install({
            cwd: t.project,
            ctx: testContext({
              ...t.env,
              POLY_SYSTEM_TAR: systemTar,
              POLY_NODE_MIRROR: `${server.url}/node`,
            }),
          }),
          (err: PolyError) => {
            assert.equal(err.code, 'ARCHIVE_UNSAFE');
            assert.equal(
              err.message,
              `refusing to unpack ${server.url}/node/v${V}/${TOP}.tar.gz: symlink "${TOP}/esc" points outside the archive through its other links ("a/up/a/up/../..")`,
            );
            return true;
          },
        );
        assert.ok(!existsSync(join(t.home, 'installs', 'node', V)), 'nothing installed');
        assert.deepEqual(existsSync(join(t.home, 'tmp')) ? readdirSync(join(t.home, 'tmp')) : [], []);
      } finally {
        await server.close();
        t.cleanup();
      }
    });
  }

  it('a link chain that stays inside is installed as it is', async () => {
    const inside = tarGz([
      { type: 'file', path: `${TOP}/bin/node`, content: '#!/bin/sh\necho v22.11.0\n', mode: 0o755 },
      { type: 'dir', path: `${TOP}/a/` },
      { type: 'symlink', path: `${TOP}/a/up`, target: '..' },
      { type: 'symlink', path: `${TOP}/same`, target: 'a/up/a/up/bin' },
    ]);
    const t = tempPoly();
    const server = await startTinyDistServer();
    try {
      server.mount('/node', nodeRoutes([{ version: V, archives: sameArchive(inside) }]));
      writeManifest(t.project, 'node = "22"');
      await install({
        cwd: t.project,
        ctx: testContext({ ...t.env, POLY_NODE_MIRROR: `${server.url}/node` }),
      });
      assert.ok(lstatSync(join(t.home, 'installs', 'node', V, 'same')).isSymbolicLink());
    } finally {
      await server.close();
      t.cleanup();
    }
  });
  // #17 item 11 (a refusal ends the download at once): refused-download.test.ts.
});
