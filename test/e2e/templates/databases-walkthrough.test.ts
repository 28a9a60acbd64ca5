import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';
import { type PostgresMirror, startPostgresMirror } from '../../helpers/mirror/postgres.js';
import { debianRedisVersion, startValkeyMirror, type ValkeyMirror } from '../../helpers/mirror/valkey.js';
import { sql } from '../../helpers/postgres-project.js';
import { processesWithToken, waitFor } from '../../helpers/services-project.js';
import { freePort, runPoly, templatesPolyHome } from '../../helpers/templates-e2e.js';

const noRedis =
  !debianRedisVersion() && !process.env.CI && 'redis-server is not installed (apt-get install redis-server)';

interface Item {
  id: number;
  name: string;
}

/**
 * Issue 11's "done when", as README's "Databases" walkthrough has a new user do it:
 * a project with `cache` (use = "redis@7"), `poly new fastapi items --with postgres`
 * (which adds `db`, use = "postgres@16"), its tests through `poly run items:test`,
 * `poly up` to all healthy with no Docker (DOCKER_HOST points at nothing, so any use of
 * Docker would fail), a row written and read back over HTTP through DATABASE_URL, kept
 * across `poly down` / `poly up`, and back after `poly db snapshot`, `poly down --volumes`,
 * `poly db restore`. Real PostgreSQL and Redis binaries from the local mirrors.
 */
describe('README walkthrough: a FastAPI service with PostgreSQL and Redis, no Docker', {
  skip: noRedis,
  timeout: 30 * 60_000,
}, () => {
  const base = mkdtempSync(join(tmpdir(), 'poly-dbwalk-'));
  const root = join(base, 'shop');
  const token = `dbwalk-${process.pid}-${Date.now()}`;
  let mirrors: [Mirror, PostgresMirror, ValkeyMirror];
  let env: NodeJS.ProcessEnv;
  let api: string;
  const poly = async (...args: string[]) => {
    const result = await runPoly(args, root, env);
    assert.equal(result.exitCode, 0, `poly ${args.join(' ')} failed:\n${result.all}`);
    return result;
  };
  const readItem = async (id: number): Promise<Item | number> => {
    const response = await fetch(`${api}/api/items/${id}`, { signal: AbortSignal.timeout(10_000) });
    return response.status === 200 ? ((await response.json()) as Item) : response.status;
  };
  const states = async () =>
    (
      JSON.parse((await poly('ps', '--json')).stdout) as { services: Array<{ name: string; state: string }> }
    ).services
      .map((s) => [s.name, s.state])
      .sort();

  before(async () => {
    mirrors = await Promise.all([startMirror(), startPostgresMirror(), startValkeyMirror()]);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'poly.toml'), '[project]\nname = "shop"\n\n[services.cache]\nuse = "redis@7"\n');
    env = {
      ...process.env,
      ...mirrors[0].env,
      ...mirrors[1].env,
      ...mirrors[2].env,
      POLY_HOME: templatesPolyHome(join(base, 'home')),
      POLY_CONFIG_DIR: join(base, 'config'),
      // Nothing may reach Docker: a socket that does not exist.
      DOCKER_HOST: `unix://${join(base, 'no-docker.sock')}`,
      POLY_TEST_TOKEN: token,
      // The HTTPS proxy is machine-wide: only the proxy tests turn it on (with ports of their own).
      POLY_PROXY: 'off',
      NO_COLOR: '1',
    };
  });
  after(async () => {
    await runPoly(['down'], root, env).catch(() => undefined);
    await Promise.all((mirrors ?? []).map((m) => m?.close()));
    rmSync(base, { recursive: true, force: true });
  });

  it('poly new fastapi items --with postgres adds db; poly run items:test passes against it', async () => {
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    await poly('new', 'fastapi', 'items', '--with', 'postgres', '--port', String(port));
    const run = await poly('run', 'items:test');
    assert.match(run.all ?? '', /4 passed/, "the variant's four tests ran");
  });

  it('poly up: all healthy; a row written over HTTP is read back, and survives down / up', async () => {
    await poly('up', '-d');
    assert.deepEqual(await states(), [
      ['cache', 'healthy'],
      ['db', 'healthy'],
      ['items', 'healthy'],
    ]);
    const created = await fetch(`${api}/api/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'kept' }),
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(created.status, 201);
    const item = (await created.json()) as Item;
    assert.deepEqual(await readItem(item.id), item);
    const cacheUrl = (await poly('db', 'url', 'cache')).stdout.trim();
    assert.equal(execFileSync('redis-cli', ['-u', cacheUrl, 'PING'], { encoding: 'utf8' }).trim(), 'PONG');

    await poly('down');
    await poly('up', '-d');
    assert.deepEqual(await readItem(item.id), item, 'the row survives poly down / poly up');

    // A snapshot, then the data folder removed: the row is gone, until the restore.
    await poly('db', 'snapshot', 'db', 'with-kept');
    await poly('down', '--volumes');
    await poly('up', '-d', 'db');
    const dbUrl = (await poly('db', 'url', 'db')).stdout.trim();
    assert.deepEqual(await sql(dbUrl, "SELECT to_regclass('items') AS t"), [{ t: null }], 'a fresh database');
    await poly('down');
    await poly('db', 'restore', 'db', 'with-kept');
    await poly('up', '-d');
    assert.deepEqual(await readItem(item.id), item, 'the row is back after the restore');
    await poly('down');
    await waitFor('no process left', () => processesWithToken(token).length === 0, 20_000);
  });
});
