import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nodeArchive, tempPoly, writeManifest } from '../../helpers/install-fixtures.js';
import { nodeRoutes, sameArchive } from '../../helpers/official-layouts.js';
import { POLY_BIN } from '../../helpers/poly-cli.js';
import { startTinyDistServer } from '../../helpers/tiny-dist-server.js';

const V = '22.11.0';
const tmpEntries = (home: string) => (existsSync(join(home, 'tmp')) ? readdirSync(join(home, 'tmp')) : []);

// #17 item 12: a killed install's partial download must not stay in $POLY_HOME/tmp.
describe('temp folders of killed installs', () => {
  it('a later install that has nothing to do removes the partial download of a kill -9', async () => {
    const server = await startTinyDistServer();
    const t = tempPoly({ POLY_HTTP_TIMEOUT_MS: '600000' });
    try {
      server.mount('/node', nodeRoutes([{ version: V, archives: sameArchive(nodeArchive(V)) }]));
      server.fault('.tar.gz', { kind: 'stall', bytes: 200 });
      writeManifest(t.project, 'node = "22"');
      const env = { ...t.env, POLY_NODE_MIRROR: `${server.url}/node`, CI: '' };
      const child = spawn(process.execPath, [POLY_BIN, 'install'], { cwd: t.project, env, stdio: 'ignore' });
      // Event-ordered: kill once the download has started and its staging folder exists.
      for (let i = 0; i < 6000 && (tmpEntries(t.home).length === 0 || server.hitCount('.tar.gz') === 0); i++)
        await new Promise((r) => setTimeout(r, 10));
      assert.equal(tmpEntries(t.home).length, 1, 'the download is staged in $POLY_HOME/tmp');
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));

      const other = join(t.root, 'other');
      writeManifest(other, '');
      const r = spawnSync(process.execPath, [POLY_BIN, 'install'], { cwd: other, env, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(tmpEntries(t.home), []);
    } finally {
      await server.close();
      t.cleanup();
    }
  });

  it('poly prune removes a temp folder whose process is a zombie (killed, not yet reaped)', async () => {
    const t = tempPoly();
    // `sleep 0` ends at once; its parent then execs a long sleep that never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 60'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const pid = Number(
        await new Promise<string>((r) => parent.stdout.once('data', (d: Buffer) => r(d.toString()))),
      );
      for (let i = 0; i < 3000 && !isZombie(pid); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(isZombie(pid), `process ${pid} is a zombie`);
      const stale = join(t.home, 'tmp', `${pid}-abc123-node-${V}`);
      mkdirSync(join(stale, 'unpacked'), { recursive: true });
      writeFileSync(join(stale, 'unpacked', 'partial'), 'x');
      const r = spawnSync(process.execPath, [POLY_BIN, 'prune'], {
        cwd: t.root,
        env: t.env,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(tmpEntries(t.home), []);
    } finally {
      parent.kill('SIGKILL');
      t.cleanup();
    }
  });
});

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
