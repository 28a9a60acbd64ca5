import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeArchive, tempPoly, writeManifest } from '../../helpers/install-fixtures.js';
import { nodeRoutes, sameArchive } from '../../helpers/official-layouts.js';
import { runPoly } from '../../helpers/poly-cli.js';
import { startTinyDistServer } from '../../helpers/tiny-dist-server.js';

const V = '22.11.0';

// #17 messages: a hanging source says what poly waits for, and index retries are shown as
// archive retries are. POLY_HTTP_SLOW_MS shortens the 5 s of the notice for the test.
describe('a source that hangs', () => {
  it('the index: "waiting for <url>", then a retry line, then the install goes on', async () => {
    const server = await startTinyDistServer();
    const t = tempPoly({ POLY_HTTP_TIMEOUT_MS: '2500', POLY_HTTP_SLOW_MS: '1000', POLY_HTTP_RETRIES: '2' });
    try {
      server.mount('/node', nodeRoutes([{ version: V, archives: sameArchive(nodeArchive(V)) }]));
      server.fault('index.json', { kind: 'stall', bytes: 10 }, 1);
      writeManifest(t.project, 'node = "22"');
      const r = await runPoly(['install'], {
        cwd: t.project,
        env: { ...(t.env as Record<string, string>), POLY_NODE_MIRROR: `${server.url}/node` },
      });
      assert.equal(r.exitCode, 0, r.stderr);
      const lines = r.stderr.split('\n');
      const waiting = lines.indexOf(
        `node 22: waiting for ${server.url}/node/index.json (nothing received for 1 s)`,
      );
      const retry = lines.findIndex((l) => l.startsWith('node 22: retry 1 ('));
      assert.ok(waiting >= 0, r.stderr);
      assert.ok(retry > waiting, `the retry follows the notice:\n${r.stderr}`);
      assert.match(r.stdout + r.stderr, /22\.11\.0/);
    } finally {
      await server.close();
      t.cleanup();
    }
  });

  it('the archive: the same notice names the archive URL', async () => {
    const server = await startTinyDistServer();
    const t = tempPoly({ POLY_HTTP_TIMEOUT_MS: '2500', POLY_HTTP_SLOW_MS: '1000', POLY_HTTP_RETRIES: '2' });
    try {
      server.mount('/node', nodeRoutes([{ version: V, archives: sameArchive(nodeArchive(V)) }]));
      server.fault('.tar.gz', { kind: 'stall', bytes: 100 }, 1);
      writeManifest(t.project, 'node = "22"');
      const r = await runPoly(['install'], {
        cwd: t.project,
        env: { ...(t.env as Record<string, string>), POLY_NODE_MIRROR: `${server.url}/node` },
      });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.ok(
        r.stderr
          .split('\n')
          .includes(
            `node ${V}: waiting for ${server.url}/node/v${V}/node-v${V}-linux-x64.tar.gz (nothing received for 1 s)`,
          ),
        r.stderr,
      );
    } finally {
      await server.close();
      t.cleanup();
    }
  });
});
