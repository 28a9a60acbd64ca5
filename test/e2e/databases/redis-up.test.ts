import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type PostgresMirror, startPostgresMirror } from '../../helpers/mirror/postgres.js';
import { debianRedisVersion, startValkeyMirror, type ValkeyMirror } from '../../helpers/mirror/valkey.js';
import {
  databaseProject,
  PEER_SERVICE,
  peerEnvFrom,
  sql,
  storeEnv,
  tempDir,
  waitForAsync,
} from '../../helpers/postgres-project.js';
import { waitFor } from '../../helpers/services-project.js';

const noRedis =
  !debianRedisVersion() && !process.env.CI && 'redis-server is not installed (apt-get install redis-server)';

/** redis-cli, a real client, against the URL a peer got. */
function redisCli(url: string, ...args: string[]): string {
  return execFileSync('redis-cli', ['-u', url, ...args], { encoding: 'utf8' }).trim();
}

describe('use = "redis@7" beside use = "postgres@16": no Docker, both wired into a peer', {
  skip: noRedis,
}, () => {
  let pg: PostgresMirror;
  let vk: ValkeyMirror;
  const tmp = tempDir('poly-redis-');
  before(async () => {
    pg = await startPostgresMirror();
    vk = await startValkeyMirror();
  });
  after(async () => {
    await pg?.close();
    await vk?.close();
    tmp.cleanup();
  });

  it('brings db, cache and api up; cache data survives down/up and kill -9', async () => {
    const manifest = `[services.db]\nuse = "postgres@16"\n\n[services.cache]\nuse = "redis@7"\n\n${PEER_SERVICE.replace('depends_on = ["db"]', 'depends_on = ["db", "cache"]')}`;
    const project = databaseProject(tmp.dir, 'shop', manifest, storeEnv(tmp.dir, { ...pg.env, ...vk.env }));
    try {
      const up = await project.poly('up', '-d');
      assert.equal(up.code, 0, up.stderr);
      const lock = readFileSync(join(project.root, 'poly.lock'), 'utf8');
      assert.match(
        lock,
        new RegExp(`\\[packages\\.redis\\]\\nspec = "7"\\nversion = "${vk.version.replace(/\./g, '\\.')}"`),
      );
      assert.match(lock, /\[packages\.redis\.platforms\.linux-arm64\]/);
      const peer = await waitFor(
        'peer env',
        () => existsSync(join(project.root, 'env.json')) && peerEnvFrom(join(project.root, 'env.json')),
      );
      const port = Number(peer.CACHE_PORT);
      assert.equal(peer.CACHE_URL, `redis://127.0.0.1:${port}`);
      assert.equal(peer.CACHE_ADDR, `127.0.0.1:${port}`);
      assert.match(peer.DB_URL ?? '', /^postgres:\/\/dev:dev@127\.0\.0\.1:\d+\/shop$/);
      assert.deepEqual(await sql(peer.DB_URL as string, 'SELECT 1 AS one'), [{ one: 1 }]);
      const cache = peer.CACHE_URL as string;
      assert.equal(redisCli(cache, 'SET', 'greeting', 'hello'), 'OK');
      assert.equal(redisCli(cache, 'CONFIG', 'GET', 'bind'), 'bind\n127.0.0.1');

      assert.equal((await project.poly('down')).code, 0);
      assert.equal((await project.poly('up', '-d')).code, 0);
      assert.equal(redisCli(cache, 'GET', 'greeting'), 'hello');

      assert.equal(redisCli(cache, 'SET', 'late', 'acknowledged'), 'OK');
      const pid = Number(redisCli(cache, 'INFO', 'server').match(/process_id:(\d+)/)?.[1]);
      process.kill(pid, 'SIGKILL');
      await waitForAsync(
        'cache healthy again',
        async () => {
          const ps = JSON.parse((await project.poly('ps', '--json')).stdout) as {
            services: Array<{ name: string; state: string; restarts: number }>;
          };
          const c = ps.services.find((s) => s.name === 'cache');
          return c?.state === 'healthy' && c.restarts >= 1 ? c : undefined;
        },
        30_000,
      );
      assert.equal(redisCli(cache, 'GET', 'late'), 'acknowledged');
      const shell = await project.poly('db', 'shell', 'cache', '--', 'GET', 'late');
      assert.equal(shell.code, 0, shell.stderr);
      assert.equal(shell.stdout.trim(), 'acknowledged');
      const url = await project.poly('db', 'url', 'cache');
      assert.equal(url.stdout.trim(), cache);
      const snap = await project.poly('db', 'snapshot', 'cache');
      assert.match(snap.stderr, /poly db snapshot is for PostgreSQL and MariaDB services; cache is redis/);
    } finally {
      await project.poly('down');
    }
  });
});
