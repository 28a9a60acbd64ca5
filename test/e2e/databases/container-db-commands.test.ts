import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { execa } from 'execa';
import { databaseVolumeName } from '../../../src/core/databases/container-recipe.js';
import {
  forgetPeerEnv,
  mariadbQuery,
  nativePeerEnv,
  volumeExists,
} from '../../helpers/container-databases.js';
import { MARIADB_TEST_IMAGE, mariadbTestImage } from '../../helpers/database-images.js';
import { dockerForTests } from '../../helpers/docker.js';
import { POLY_BIN } from '../../helpers/poly-cli.js';
import { POSTGRES_TEST_IMAGE, postgresTestImage } from '../../helpers/postgres-image.js';
import { databaseProject, storeEnv, tempDir } from '../../helpers/postgres-project.js';

const { client, skip } = await dockerForTests();

/**
 * `poly db url/shell/snapshot/snapshots/restore` on container-mode databases:
 * the tools run inside the database's container (or throwaway containers of
 * its image, on its volume). The images are the local stand-ins for the
 * official postgres:16 and mariadb:11 (postgres-image.ts, database-images.ts;
 * no registry is reachable here), which carry the same tools.
 */
describe('poly db commands on container-mode PostgreSQL and MariaDB', { skip }, () => {
  const tmp = tempDir('poly-dbcc-');
  const name = `dbcc-${Date.now().toString(36)}`;
  const env = {
    ...storeEnv(tmp.dir, {}),
    POLY_OFFLINE: '1',
    POLY_POSTGRES_IMAGE: POSTGRES_TEST_IMAGE,
    POLY_MARIADB_IMAGE: MARIADB_TEST_IMAGE,
  };
  const project = databaseProject(
    tmp.dir,
    name,
    `[services.db]
use = "postgres@16"
mode = "container"
init = ["db/pg.sql"]

[services.sql]
use = "mariadb@11"
mode = "container"
init = ["db/maria.sql"]

[services.api]
run = "node -e \\"require('fs').writeFileSync('env.json', JSON.stringify(process.env)); setInterval(() => {}, 1e9)\\""
depends_on = ["db", "sql"]
`,
    env,
  );
  const ref = { name, root: project.root };
  after(async () => {
    await project.poly('down', '--volumes');
    tmp.cleanup();
  });

  /** `poly db shell` with piped input and no terminal, as in `echo 'select 1' | poly db shell db`. */
  const shell = (service: string, input: string, args: string[] = []) =>
    execa(process.execPath, [POLY_BIN, 'db', 'shell', service, ...(args.length ? ['--', ...args] : [])], {
      cwd: project.root,
      env,
      input,
      reject: false,
    });
  const pgRows = async (sql: string) =>
    (
      await shell(
        'db',
        `${sql}
`,
        ['-At'],
      )
    ).stdout.trim();
  const upAndWait = async () => {
    forgetPeerEnv(project.root);
    const up = await project.poly('up', '-d');
    assert.equal(up.code, 0, up.stderr);
    return nativePeerEnv(project.root);
  };

  it('url and shell reach each database; snapshots (running or stopped) restore, also after down --volumes; a hollow one is refused', async () => {
    await Promise.all([postgresTestImage(client!), mariadbTestImage(client!)]);
    project.write(
      'db/pg.sql',
      "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);\nINSERT INTO items (name) VALUES ('seeded');\n",
    );
    project.write(
      'db/maria.sql',
      "CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name TEXT NOT NULL);\nINSERT INTO items (name) VALUES ('seeded');\n",
    );
    const peer = await upAndWait();

    const url = await project.poly('db', 'url', 'db');
    assert.equal(url.code, 0, url.stderr);
    assert.equal(url.stdout.trim(), peer.DB_URL, 'db url is what a native peer gets');
    const sqlUrl = await project.poly('db', 'url', 'sql');
    assert.equal(sqlUrl.stdout.trim(), peer.SQL_URL);

    const pg = await shell('db', 'SELECT name FROM items;\n');
    assert.equal(pg.exitCode, 0, pg.stderr);
    assert.match(pg.stdout, /seeded/, 'psql ran inside the container with the piped query');
    const maria = await shell('sql', 'SELECT CONCAT(current_user(), " in ", database());\n');
    assert.equal(maria.exitCode, 0, maria.stderr);
    assert.match(
      maria.stdout,
      new RegExp(`dev@% in ${name}`),
      'the mariadb client logged in as the service user',
    );

    await shell('db', "INSERT INTO items (name) VALUES ('before');\n");
    await mariadbQuery(peer.SQL_URL!, "INSERT INTO items (name) VALUES ('before')");
    for (const service of ['db', 'sql']) {
      const snap = await project.poly('db', 'snapshot', service, 'first');
      assert.equal(snap.code, 0, snap.stderr);
    }
    await shell('db', "INSERT INTO items (name) VALUES ('after');\n");
    await mariadbQuery(peer.SQL_URL!, "INSERT INTO items (name) VALUES ('after')");

    const list = await project.poly('db', 'snapshots', '--json');
    const snapshots = (
      JSON.parse(list.stdout) as { snapshots: { service: string; name: string; image?: string }[] }
    ).snapshots;
    assert.deepEqual(
      snapshots.map((s) => [s.service, s.name, s.image]),
      [
        ['db', 'first', POSTGRES_TEST_IMAGE],
        ['sql', 'first', MARIADB_TEST_IMAGE],
      ],
    );

    const refused = await project.poly('db', 'restore', 'db', 'first');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /is running/);

    assert.equal((await project.poly('down', '--volumes')).code, 0);
    assert.equal(await volumeExists(databaseVolumeName(ref, 'db')), false);
    for (const service of ['db', 'sql']) {
      const restore = await project.poly('db', 'restore', service, 'first');
      assert.equal(restore.code, 0, restore.stderr);
    }
    const back = await upAndWait();
    assert.equal(await pgRows("SELECT string_agg(name, ',' ORDER BY id) FROM items;"), 'seeded,before');
    assert.deepEqual((await mariadbQuery(back.SQL_URL!, 'SELECT name FROM items ORDER BY id')).flat(), [
      'seeded',
      'before',
    ]);

    // Stopped: the volume is copied as it lies, by a throwaway container of the image.
    assert.equal((await project.poly('down')).code, 0);
    for (const service of ['db', 'sql']) {
      const cold = await project.poly('db', 'snapshot', service, 'cold');
      assert.equal(cold.code, 0, cold.stderr);
    }

    // A snapshot whose checksum is right but that holds no data folder a server starts on.
    const hollow = join(project.root, '.poly', 'snapshots', 'db', 'hollow');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(hollow, { recursive: true });
    const { create } = await import('tar');
    writeFileSync(join(tmp.dir, 'PG_VERSION'), '16\n');
    await create({ gzip: true, cwd: tmp.dir, file: join(hollow, 'data.tar.gz'), portable: true }, [
      'PG_VERSION',
    ]);
    const sha = (await execa('sha256sum', [join(hollow, 'data.tar.gz')])).stdout.split(' ')[0];
    writeFileSync(
      join(hollow, 'snapshot.json'),
      JSON.stringify({
        service: 'db',
        name: 'hollow',
        database: 'postgres@16',
        createdAt: new Date().toISOString(),
        bytes: 1,
        sha256: sha,
        online: false,
        image: POSTGRES_TEST_IMAGE,
      }),
    );
    const bad = await project.poly('db', 'restore', 'db', 'hollow');
    assert.notEqual(bad.code, 0, 'a snapshot the server cannot start on is refused');
    assert.match(bad.stderr, /left as it was/);
    const kept = await upAndWait();
    assert.equal(await pgRows('SELECT count(*) FROM items;'), '2', 'the data volume was not touched');

    // The stopped snapshots restore too, over data written since.
    await shell('db', "INSERT INTO items (name) VALUES ('later');\n");
    await mariadbQuery(kept.SQL_URL!, "INSERT INTO items (name) VALUES ('later')");
    assert.equal((await project.poly('down')).code, 0);
    for (const service of ['db', 'sql']) {
      const restore = await project.poly('db', 'restore', service, 'cold');
      assert.equal(restore.code, 0, restore.stderr);
    }
    const cold = await upAndWait();
    assert.equal(await pgRows("SELECT string_agg(name, ',' ORDER BY id) FROM items;"), 'seeded,before');
    assert.deepEqual((await mariadbQuery(cold.SQL_URL!, 'SELECT name FROM items ORDER BY id')).flat(), [
      'seeded',
      'before',
    ]);
  });
});
