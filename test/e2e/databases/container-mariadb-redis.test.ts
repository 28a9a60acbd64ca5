import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { databaseVolumeName } from '../../../src/core/databases/container-recipe.js';
import {
  containerEnvOf,
  forgetPeerEnv,
  mariadbQuery,
  nativePeerEnv,
  redisCli,
  volumeExists,
} from '../../helpers/container-databases.js';
import {
  MARIADB_TEST_IMAGE,
  mariadbTestImage,
  REDIS_TEST_IMAGE,
  redisTestImage,
  VALKEY_TEST_IMAGE,
  valkeyTestImage,
} from '../../helpers/database-images.js';
import { dockerForTests } from '../../helpers/docker.js';
import { BUSYBOX_TEST_IMAGE, busyboxTestImage } from '../../helpers/docker-images.js';
import { databaseProject, storeEnv, tempDir } from '../../helpers/postgres-project.js';

const { client, skip } = await dockerForTests();

/**
 * `db = mariadb@11`, `cache = redis@7` and `queue = valkey@8` in container
 * mode: the images POLY_MARIADB_IMAGE / POLY_REDIS_IMAGE / POLY_VALKEY_IMAGE name are local stand-ins
 * for the official mariadb:11, redis:7 and valkey/valkey:8 (database-images.ts: no registry is
 * reachable here) that keep the official entrypoints' contract, so this
 * checks what poly hands the official images: variables, init folder, data
 * volume, command, and the per-side URLs.
 */
describe('mariadb@11, redis@7 and valkey@8 in container mode run the official images’ contract', {
  skip,
}, () => {
  const tmp = tempDir('poly-dbc-');
  const name = `dbc-${Date.now().toString(36)}`;
  const env = {
    ...storeEnv(tmp.dir, {}),
    POLY_OFFLINE: '1',
    POLY_MARIADB_IMAGE: MARIADB_TEST_IMAGE,
    POLY_REDIS_IMAGE: REDIS_TEST_IMAGE,
    POLY_VALKEY_IMAGE: VALKEY_TEST_IMAGE,
  };
  const project = databaseProject(
    tmp.dir,
    name,
    `[services.db]
use = "mariadb@11"
mode = "container"
init = ["db/schema.sql", "db/seed.sql"]

[services.cache]
use = "redis@7"
mode = "container"

[services.queue]
use = "valkey@8"
mode = "container"

[services.box]
image = "${BUSYBOX_TEST_IMAGE}"
run = "exec sleep 100000"
depends_on = ["db", "cache", "queue"]

[services.api]
run = "node -e \\"require('fs').writeFileSync('env.json', JSON.stringify(process.env)); setInterval(() => {}, 1e9)\\""
depends_on = ["db", "cache", "queue"]
`,
    env,
  );
  const ref = { name, root: project.root };
  after(async () => {
    await project.poly('down', '--volumes');
    tmp.cleanup();
  });

  it('comes up healthy, wires both sides, runs init once, keeps data across down/up; down --volumes removes it', async () => {
    await Promise.all([
      mariadbTestImage(client!),
      redisTestImage(client!),
      valkeyTestImage(client!),
      busyboxTestImage(client),
    ]);
    project.write(
      'db/schema.sql',
      'CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name TEXT NOT NULL);\n',
    );
    project.write('db/seed.sql', "INSERT INTO items (name) VALUES ('seeded');\n");
    const up = await project.poly('up', '-d');
    assert.equal(up.code, 0, up.stderr);

    const native = await nativePeerEnv(project.root);
    const dbPort = Number(native.DB_PORT);
    const cachePort = Number(native.CACHE_PORT);
    assert.ok(dbPort > 0 && dbPort !== 3306, `a host port of its own, got ${native.DB_PORT}`);
    assert.ok(cachePort > 0 && cachePort !== 6379, `a host port of its own, got ${native.CACHE_PORT}`);
    assert.equal(native.DB_URL, `mysql://dev:dev@127.0.0.1:${dbPort}/${name}`);
    assert.equal(native.CACHE_URL, `redis://127.0.0.1:${cachePort}`);
    assert.match(native.QUEUE_URL ?? '', /^redis:\/\/127\.0\.0\.1:\d+$/);
    const box = await containerEnvOf(ref, 'box');
    assert.ok(box.includes(`DB_URL=mysql://dev:dev@db:3306/${name}`), box.join('\n'));
    assert.ok(box.includes('DB_HOST=db') && box.includes('DB_PORT=3306'), box.join('\n'));
    assert.ok(box.includes('CACHE_URL=redis://cache:6379'), box.join('\n'));
    assert.ok(box.includes('QUEUE_URL=redis://queue:6379'), box.join('\n'));

    const ps = JSON.parse((await project.poly('ps', '--json')).stdout) as {
      services: { name: string; url?: string }[];
    };
    const psUrl = (service: string) => ps.services.find((s) => s.name === service)?.url;
    assert.equal(psUrl('db'), native.DB_URL, 'poly ps shows the URL a native peer gets');
    assert.equal(psUrl('cache'), native.CACHE_URL);

    const rows = async () =>
      (await mariadbQuery(native.DB_URL!, 'SELECT name FROM items ORDER BY id')).flat();
    assert.deepEqual(await rows(), ['seeded'], 'the init files ran once, in order');
    await mariadbQuery(native.DB_URL!, "INSERT INTO items (name) VALUES ('kept')");
    assert.equal(await redisCli(native.CACHE_URL!, 'SET', 'greeting', 'hello'), 'OK');
    assert.equal(await redisCli(native.QUEUE_URL!, 'RPUSH', 'jobs', 'one'), '1');

    const volumes = ['db', 'cache', 'queue'].map((s) => databaseVolumeName(ref, s));
    assert.equal((await project.poly('down')).code, 0);
    for (const v of volumes) assert.ok(await volumeExists(v), `poly down keeps ${v}`);

    forgetPeerEnv(project.root);
    const again = await project.poly('up', '-d');
    assert.equal(again.code, 0, again.stderr);
    const second = await nativePeerEnv(project.root);
    assert.deepEqual(
      (await mariadbQuery(second.DB_URL!, 'SELECT name FROM items ORDER BY id')).flat(),
      ['seeded', 'kept'],
      'the data survived, and the init files did not run again',
    );
    assert.equal(
      await redisCli(second.CACHE_URL!, 'GET', 'greeting'),
      'hello',
      'the append-only file kept the key',
    );

    const down = await project.poly('down', '--volumes');
    assert.equal(down.code, 0, down.stderr);
    for (const v of volumes) assert.equal(await volumeExists(v), false, `down --volumes removes ${v}`);
  });
});
