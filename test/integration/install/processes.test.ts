import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { install } from '../../../src/services/install/install.js';
import { testContext } from '../../helpers/context.js';
import { nodeArchive, tempPoly, writeManifest } from '../../helpers/install-fixtures.js';
import { nodeRoutes, sameArchive } from '../../helpers/official-layouts.js';
import { fakeToolchain } from '../../helpers/tar-writer.js';
import { startTinyDistServer, type TinyDistServer } from '../../helpers/tiny-dist-server.js';

const CHILD = fileURLToPath(new URL('../../helpers/install-child.js', import.meta.url));
const V = '22.11.0';
const ARCHIVE = `/node/v${V}/node-v${V}-linux-x64.tar.gz`;

function runChild(cwd: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [CHILD, cwd], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ? -1 : code)),
  );
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('install with real processes', () => {
  let server: TinyDistServer;
  // Big enough to take a while when served slowly: random bytes do not compress.
  const big = fakeToolchain(`node-v${V}-linux-x64`, { node: `v${V}` }, [
    {
      type: 'file',
      path: `node-v${V}-linux-x64/lib/blob`,
      content: Buffer.from(Array.from({ length: 256 * 1024 }, () => Math.floor(Math.random() * 256))),
    },
  ]);
  before(async () => {
    server = await startTinyDistServer();
    server.mount(
      '/node',
      nodeRoutes([
        { version: V, archives: sameArchive(big) },
        { version: '20.18.1', archives: sameArchive(nodeArchive('20.18.1')) },
      ]),
    );
  });
  after(() => server.close());

  it('kill -9 mid-download leaves no half install, and the next run cleans up and installs', async () => {
    const t = tempPoly({ POLY_NODE_MIRROR: `${server.url}/node`, POLY_HTTP_TIMEOUT_MS: '30000' });
    try {
      writeManifest(t.project, 'node = "22"');
      server.clearFaults();
      server.fault(ARCHIVE, { kind: 'stall', bytes: 64 * 1024 }, 1);
      const hits = server.hitCount(ARCHIVE);
      const run = runChild(t.project, t.env);
      const tmp = join(t.home, 'tmp');
      await waitFor(
        () => server.hitCount(ARCHIVE) > hits && existsSync(tmp) && readdirSync(tmp).length > 0,
        'the download to start',
      );
      await waitFor(() => run.output().stderr.includes('download'), 'bytes to arrive');
      run.child.kill('SIGKILL');
      assert.equal(await run.exited, -1);
      assert.ok(!existsSync(join(t.home, 'installs', 'node', V)), 'no half-installed version');
      assert.equal(readdirSync(tmp).length, 1, 'the killed process left its temp dir');
      assert.equal(readdirSync(join(t.home, 'locks')).length, 1, 'and its lock');

      const r = await install({ cwd: t.project, ctx: testContext(t.env) });
      assert.equal(r.runtimes[0]?.installed, true);
      assert.ok(existsSync(join(t.home, 'installs', 'node', V, 'lib', 'blob')));
      assert.deepEqual(readdirSync(tmp), []);
      assert.deepEqual(readdirSync(join(t.home, 'locks')), []);
    } finally {
      server.clearFaults();
      t.cleanup();
    }
  });

  it('two concurrent installs of the same version: both finish, one download', async () => {
    const t = tempPoly({ POLY_NODE_MIRROR: `${server.url}/node` });
    try {
      writeManifest(t.project, 'node = "22"');
      // Resolve once so both processes go straight to the archive.
      await install({ cwd: t.project, ctx: testContext(t.env), targets: ['node@20'] });
      server.clearFaults();
      server.fault(ARCHIVE, { kind: 'slow', chunk: 32 * 1024, delayMs: 40 });
      const hits = server.hitCount(ARCHIVE);
      const a = runChild(t.project, t.env);
      const b = runChild(t.project, t.env);
      const [ca, cb] = await Promise.all([a.exited, b.exited]);
      assert.equal(ca, 0, a.output().stderr);
      assert.equal(cb, 0, b.output().stderr);
      assert.equal(server.hitCount(ARCHIVE) - hits, 1, 'one download');
      const results = [a, b].map(
        (p) => JSON.parse(p.output().stdout) as { runtimes: { installed: boolean; version: string }[] },
      );
      assert.deepEqual(
        results.map((r) => r.runtimes[0]?.version),
        [V, V],
      );
      assert.deepEqual(results.map((r) => r.runtimes[0]?.installed).sort(), [false, true]);
    } finally {
      server.clearFaults();
      t.cleanup();
    }
  });
});
