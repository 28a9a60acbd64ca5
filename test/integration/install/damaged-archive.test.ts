import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempPoly, writeManifest } from '../../helpers/install-fixtures.js';
import { nodeRoutes, sameArchive } from '../../helpers/official-layouts.js';
import { runPoly } from '../../helpers/poly-cli.js';
import { fakeToolchain } from '../../helpers/tar-writer.js';
import { startTinyDistServer } from '../../helpers/tiny-dist-server.js';

const V = '22.11.0';
const TOP = `node-v${V}-linux-x64`;
// Enough compressed data that a byte flipped in the middle lands in a deflate block.
const text = Array.from({ length: 20000 }, (_, i) => `line ${i} ${(i * 7919) % 104729}\n`).join('');
const archive = fakeToolchain(TOP, { node: `v${V}` }, [
  { type: 'file', path: `${TOP}/lib/data.txt`, content: text },
]);
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

// #17 messages: a tampered archive the decompressor trips over before its end is a checksum
// mismatch (the real cause), reported with the URL and both digests, never a bug in poly.
describe('a tampered archive (one byte flipped mid-archive, SHASUMS256.txt kept)', () => {
  for (const [how, systemTar] of [
    ['the system tar', ''],
    ['the tar package', '0'],
  ] as const) {
    it(`is reported as a checksum mismatch with both digests (${how})`, async () => {
      const flipped = Buffer.from(archive);
      const at = Math.floor(flipped.length / 2);
      flipped[at] = (flipped[at] as number) ^ 0xff;
      const server = await startTinyDistServer();
      const t = tempPoly({ POLY_HTTP_RETRIES: '0' });
      try {
        server.mount('/node', nodeRoutes([{ version: V, archives: sameArchive(archive) }]));
        server.fault('.tar.gz', { kind: 'replace', body: flipped });
        writeManifest(t.project, 'node = "22"');
        const r = await runPoly(['install'], {
          cwd: t.project,
          env: {
            ...(t.env as Record<string, string>),
            POLY_NODE_MIRROR: `${server.url}/node`,
            POLY_SYSTEM_TAR: systemTar,
          },
        });
        assert.equal(r.exitCode, 1, r.stderr);
        const url = `${server.url}/node/v${V}/${TOP}.tar.gz`;
        assert.ok(
          r.stderr.endsWith(
            [
              `error: checksum mismatch for ${url}`,
              `  expected ${sha(archive)}`,
              `  actual   ${sha(flipped)}`,
              'hint: Nothing was installed. The download or the mirror is corrupt; try again, or check the mirror.',
            ].join('\n'),
          ),
          r.stderr,
        );
        assert.ok(!existsSync(join(t.home, 'installs', 'node', V)));
      } finally {
        await server.close();
        t.cleanup();
      }
    });
  }

  for (const [how, systemTar] of [
    ['the system tar', ''],
    ['the tar package', '0'],
  ] as const) {
    it(`a truncated gzip whose checksum matched is a damaged archive, not a bug (${how})`, async () => {
      // The source publishes the cut archive with its own checksum: the bytes are as promised.
      const truncated = archive.subarray(0, Math.floor(archive.length * 0.6));
      const server = await startTinyDistServer();
      const t = tempPoly({ POLY_HTTP_RETRIES: '0' });
      try {
        server.mount('/node', nodeRoutes([{ version: V, archives: sameArchive(truncated) }]));
        writeManifest(t.project, 'node = "22"');
        const r = await runPoly(['install'], {
          cwd: t.project,
          env: {
            ...(t.env as Record<string, string>),
            POLY_NODE_MIRROR: `${server.url}/node`,
            POLY_SYSTEM_TAR: systemTar,
          },
        });
        assert.equal(r.exitCode, 1, r.stderr);
        const url = `${server.url}/node/v${V}/${TOP}.tar.gz`;
        assert.match(
          r.stderr,
          new RegExp(
            `\nerror: ${url.replaceAll('.', '\\.')} is damaged \\(.+\\) although its checksum matched\n`,
          ),
        );
        assert.ok(
          r.stderr.endsWith(
            'hint: Nothing was installed. Run the command again once; if it fails the same way, the archive at the source is broken: report it there, or use another mirror.',
          ),
          r.stderr,
        );
        assert.doesNotMatch(r.stderr, /bug in poly/);
        assert.ok(!existsSync(join(t.home, 'installs', 'node', V)));
      } finally {
        await server.close();
        t.cleanup();
      }
    });
  }
});
