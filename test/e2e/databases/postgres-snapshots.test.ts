import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findOnPath } from '../../../src/core/runtimes/system.js';
import { type PostgresMirror, startPostgresMirror } from '../../helpers/mirror/postgres.js';
import { databaseProject, sql, storeEnv, tempDir } from '../../helpers/postgres-project.js';

const hasPsql = !!findOnPath('psql', process.env);

/** poly db url / shell / snapshot / snapshots / restore against a real PostgreSQL started by poly. */
describe('poly db: url, snapshots and restore of a PostgreSQL service', () => {
  let mirror: PostgresMirror;
  const tmp = tempDir('poly-pgsnap-');
  before(async () => {
    mirror = await startPostgresMirror();
  });
  after(async () => {
    await mirror.close();
    tmp.cleanup();
  });

  it('snapshots a running database and restores it after down --volumes; refuses damaged snapshots', async () => {
    const project = databaseProject(
      tmp.dir,
      'notes',
      '[services.db]\nuse = "postgres@16"\nuser = "app"\npassword = "s3cret"\ninit = ["schema.sql"]\n',
      storeEnv(tmp.dir, mirror.env),
    );
    project.write('schema.sql', "CREATE TABLE notes (body text);\nINSERT INTO notes VALUES ('seeded');\n");
    try {
      const first = await project.poly('up', '-d', '--json');
      assert.equal(first.code, 0, first.stderr);
      const upUrl = (JSON.parse(first.stdout) as { services: Array<{ url: string }> }).services[0]?.url;
      const urlRun = await project.poly('db', 'url', 'db');
      assert.equal(urlRun.code, 0, urlRun.stderr);
      const url = urlRun.stdout.trim();
      assert.match(url, /^postgres:\/\/app:s3cret@127\.0\.0\.1:\d+\/notes$/);
      const ps = JSON.parse((await project.poly('ps', '--json')).stdout) as {
        services: Array<{ url: string }>;
      };
      assert.equal(ps.services[0]?.url, url, 'poly ps shows the login');
      assert.equal(upUrl, url, 'poly up -d shows it too');

      await sql(url, "INSERT INTO notes VALUES ('kept')");
      // poly db shell: the embedded binaries have no psql, so the one on PATH, logged in.
      if (hasPsql || process.env.CI) {
        const shell = await project.poly('db', 'shell', 'db', '--', '-Atc', 'SELECT count(*) FROM notes');
        assert.equal(shell.code, 0, shell.stderr);
        assert.equal(shell.stdout.trim(), '2');
      }
      const snap = await project.poly('db', 'snapshot', 'db', 'before', '--json');
      assert.equal(snap.code, 0, snap.stderr);
      const info = JSON.parse(snap.stdout) as {
        name: string;
        online: boolean;
        sha256: string;
        database: string;
      };
      assert.deepEqual([info.name, info.online, info.database], ['before', true, 'postgres@16.4.0']);
      await sql(url, "INSERT INTO notes VALUES ('after the snapshot')");

      const busy = await project.poly('db', 'restore', 'db', 'before');
      assert.equal(busy.code, 1);
      assert.match(busy.stderr, /db is running; a restore replaces its data folder/);

      const list = JSON.parse((await project.poly('db', 'snapshots', '--json')).stdout) as {
        snapshots: Array<{ service: string; name: string }>;
      };
      assert.deepEqual(
        list.snapshots.map((s) => [s.service, s.name]),
        [['db', 'before']],
      );

      assert.equal((await project.poly('down', '--volumes')).code, 0);
      const restore = await project.poly('db', 'restore', 'db', 'before');
      assert.equal(restore.code, 0, restore.stderr);
      assert.equal((await project.poly('up', '-d')).code, 0);
      const rows = await sql(url, 'SELECT body FROM notes');
      assert.deepEqual(
        rows.map((r) => r.body),
        ['seeded', 'kept'],
      );

      // A snapshot whose archive changed is refused before anything is replaced.
      await sql(url, "INSERT INTO notes VALUES ('current')");
      assert.equal((await project.poly('db', 'snapshot', 'db', 'damaged')).code, 0);
      assert.equal((await project.poly('down')).code, 0);
      const archive = join(project.root, '.poly/snapshots/db/damaged/data.tar.gz');
      const bytes = readFileSync(archive);
      bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
      writeFileSync(archive, bytes);
      const refused = await project.poly('db', 'restore', 'db', 'damaged');
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /snapshot "damaged" of db is damaged/);
      const missing = await project.poly('db', 'restore', 'db', 'nope');
      assert.match(
        missing.stderr,
        /no complete snapshot "nope" of db\nhint: Snapshots of db: before, damaged\./,
      );
      assert.equal((await project.poly('up', '-d')).code, 0);
      const still = await sql(url, 'SELECT body FROM notes');
      assert.deepEqual(
        still.map((r) => r.body),
        ['seeded', 'kept', 'current'],
        'data folder as it was',
      );

      const notDb = await project.poly('db', 'url', 'dbb');
      assert.equal(notDb.code, 1);
      assert.match(
        notDb.stderr,
        /dbb is not a database service.*\nhint: Did you mean "db"\? Database services: db\./,
      );
    } finally {
      await project.poly('down');
    }
  });
});
