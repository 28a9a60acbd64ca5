import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import type { PolyError } from '../../../src/core/errors.js';
import { formatError } from '../../../src/core/format-error.js';
import { install } from '../../../src/services/install/install.js';
import { testContext } from '../../helpers/context.js';
import { tempPoly, writeManifest } from '../../helpers/install-fixtures.js';
import { nodeRoutes, sameArchive } from '../../helpers/official-layouts.js';
import { tarGz } from '../../helpers/tar-writer.js';
import { startTinyDistServer } from '../../helpers/tiny-dist-server.js';

const V = '22.11.0';
const TOP = `node-v${V}-linux-x64`;

/**
 * A file written through a link of the same archive: `a/up -> ..` stays
 * inside, and so does `a/up/through.txt` (it lands in the top folder), so
 * poly's own check lets it through. GNU tar still refuses it: it makes a
 * link whose target has `..` a placeholder file until the end, and nothing
 * can be written through a file ("Cannot open: Not a directory", exit 2).
 */
const throughLink = tarGz([
  { type: 'file', path: `${TOP}/bin/node`, content: '#!/bin/sh\n', mode: 0o755 },
  { type: 'dir', path: `${TOP}/a/` },
  { type: 'symlink', path: `${TOP}/a/up`, target: '..' },
  { type: 'file', path: `${TOP}/a/up/through.txt`, content: 'through a link\n' },
]);

/** The tar poly runs (the first on PATH), as its messages name it. */
function tarOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir, 'tar');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {}
  }
  return undefined;
}

const tar = tarOnPath();
const gnu = tar ? execFileSync(tar, ['--version'], { encoding: 'utf8' }).startsWith('tar (GNU tar)') : false;
// In CI nothing is skipped: the machine has GNU tar (scripts/setup-machine.sh).
const skip = !gnu && !process.env.CI ? `needs GNU tar on PATH (found ${tar ?? 'none'})` : false;
if (skip) console.log(`# skipped: ${skip}`);

describe('the system tar refuses an entry poly let through (#17 messages)', () => {
  it('says the archive could not be unpacked as it is: no "bug in poly", no "disk space"', {
    skip,
  }, async () => {
    const t = tempPoly();
    const server = await startTinyDistServer();
    try {
      server.mount('/node', nodeRoutes([{ version: V, archives: sameArchive(throughLink) }]));
      writeManifest(t.project, 'node = "22"');
      let caught: PolyError | undefined;
      await install({
        cwd: t.project,
        ctx: testContext({ ...t.env, POLY_SYSTEM_TAR: '', POLY_NODE_MIRROR: `${server.url}/node` }),
      }).catch((err: PolyError) => {
        caught = err;
      });
      assert.ok(caught, 'the install failed');
      const url = `${server.url}/node/v${V}/${TOP}.tar.gz`;
      assert.equal(caught.code, 'UNPACK_FAILED');
      assert.equal(
        formatError(caught, process.env),
        [
          `error: ${tar} could not unpack ${url} (exit 2): ${tar}: a/up/through.txt: Cannot open: Not a directory ${tar}: Exiting with failure status due to previous errors`,
          'hint: Nothing was installed. The archive could not be unpacked as it is: check the mirror or source; POLY_SYSTEM_TAR=0 unpacks with poly itself.',
        ].join('\n'),
      );
      assert.ok(!existsSync(join(t.home, 'installs', 'node', V)), 'nothing installed');
      assert.deepEqual(existsSync(join(t.home, 'tmp')) ? readdirSync(join(t.home, 'tmp')) : [], []);
    } finally {
      await server.close();
      t.cleanup();
    }
  });
});
