import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertMissingVersionRefused, assertPortInUseRefused } from '../../helpers/database-refusals.js';
import { type PostgresMirror, startPostgresMirror } from '../../helpers/mirror/postgres.js';
import { polyIn } from '../../helpers/poly-cli.js';
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

/**
 * Real PostgreSQL (zonky's embedded binaries, the real Maven artifact served
 * by a local Maven repository), started by poly, reached with a real client.
 */
describe('use = "postgres@16": poly up installs, initialises and wires PostgreSQL', () => {
  let mirror: PostgresMirror;
  const tmp = tempDir('poly-pg-');
  let env: NodeJS.ProcessEnv;
  before(async () => {
    mirror = await startPostgresMirror();
    env = storeEnv(tmp.dir, mirror.env);
  });
  after(async () => {
    await mirror.close();
    tmp.cleanup();
  });

  it('initialises, runs init SQL once, wires a peer, and keeps committed data across down/up and kill -9', async () => {
    const project = databaseProject(
      tmp.dir,
      'shop',
      `[services.db]\nuse = "postgres@16"\ninit = ["db/schema.sql", "db/seed.sql"]\n\n${PEER_SERVICE}`,
      env,
    );
    project.write('db/schema.sql', 'CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);\n');
    project.write('db/seed.sql', "INSERT INTO items (name) VALUES ('seeded');\n");
    try {
      const up = await project.poly('up', '-d');
      assert.equal(up.code, 0, up.stderr);
      const lock = readFileSync(join(project.root, 'poly.lock'), 'utf8');
      assert.match(lock, /\[packages\.postgres\]\nspec = "16"\nversion = "16\.4\.0"\nsource = "zonky"/);
      for (const platform of ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64'])
        assert.match(
          lock,
          new RegExp(`\\[packages\\.postgres\\.platforms\\.${platform}\\]\\nurl = "io/zonky/`),
        );
      assert.doesNotMatch(lock, /https?:/, 'poly.lock names no host');

      const peer = await waitFor('the peer to write its environment', () => {
        const file = join(project.root, 'env.json');
        return existsSync(file) && peerEnvFrom(file);
      });
      const port = Number(peer.DB_PORT);
      assert.equal(peer.DB_URL, `postgres://dev:dev@127.0.0.1:${port}/shop`);
      assert.deepEqual(
        [peer.DB_HOST, peer.DB_ADDR, peer.DB_USER, peer.DB_PASSWORD, peer.DB_DATABASE],
        ['127.0.0.1', `127.0.0.1:${port}`, 'dev', 'dev', 'shop'],
      );
      const url = peer.DB_URL as string;
      assert.deepEqual(await sql(url, 'SELECT name FROM items ORDER BY id'), [{ name: 'seeded' }]);
      assert.deepEqual(await sql(url, 'SHOW listen_addresses'), [{ listen_addresses: '127.0.0.1' }]);
      await sql(url, "INSERT INTO items (name) VALUES ('committed')");

      const down = await project.poly('down');
      assert.equal(down.code, 0, down.stderr);
      const again = await project.poly('up', '-d');
      assert.equal(again.code, 0, again.stderr);
      // init SQL ran once: the seed row is there once, the committed row survived.
      assert.deepEqual(await sql(url, 'SELECT name FROM items ORDER BY id'), [
        { name: 'seeded' },
        { name: 'committed' },
      ]);

      // kill -9 of the postmaster: the supervisor restarts it, PostgreSQL's crash recovery keeps commits.
      await sql(url, "INSERT INTO items (name) VALUES ('before the crash')");
      const pidFile = join(project.root, '.poly/data/db/postmaster.pid');
      const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      process.kill(postmaster, 'SIGKILL');
      const restarted = await waitForAsync(
        'db to be healthy again after kill -9',
        async () => {
          const ps = JSON.parse((await project.poly('ps', '--json')).stdout) as {
            services: Array<{ name: string; state: string; restarts: number; pid: number }>;
          };
          const db = ps.services.find((s) => s.name === 'db');
          return db && db.state === 'healthy' && db.restarts >= 1 ? db : undefined;
        },
        60_000,
      );
      assert.notEqual(restarted.pid, postmaster);
      const rows = await sql(url, 'SELECT name FROM items ORDER BY id');
      assert.deepEqual(
        rows.map((r) => r.name),
        ['seeded', 'committed', 'before the crash'],
      );
      const log = readFileSync(join(project.root, '.poly/logs/db.log'), 'utf8');
      assert.match(log, /automatic recovery in progress/);

      // down --volumes removes the data: the next up starts from the init SQL again. No Docker
      // engine is needed for that (DOCKER_HOST points nowhere): the project has no containers.
      const noDocker = { ...env, DOCKER_HOST: `unix://${join(tmp.dir, 'no-docker.sock')}` };
      const wipe = await polyIn(noDocker, project.root, ['down', '--volumes']);
      assert.equal(wipe.code, 0, wipe.stderr);
      assert.equal(existsSync(join(project.root, '.poly/data/db')), false);
      assert.equal((await project.poly('up', '-d')).code, 0);
      assert.deepEqual(await sql(url, 'SELECT name FROM items ORDER BY id'), [{ name: 'seeded' }]);
    } finally {
      await project.poly('down');
    }
  });

  it('runs two projects with postgres@16 side by side, each on its own port and data', async () => {
    const a = databaseProject(tmp.dir, 'alpha', `[services.db]\nuse = "postgres@16"\n\n${PEER_SERVICE}`, env);
    const b = databaseProject(tmp.dir, 'beta', `[services.db]\nuse = "postgres@16"\n\n${PEER_SERVICE}`, env);
    try {
      const [upA, upB] = await Promise.all([a.poly('up', '-d'), b.poly('up', '-d')]);
      assert.equal(upA.code, 0, upA.stderr);
      assert.equal(upB.code, 0, upB.stderr);
      const urlOf = (root: string) =>
        waitFor(
          'peer env',
          () => existsSync(join(root, 'env.json')) && peerEnvFrom(join(root, 'env.json')).DB_URL,
        );
      const [urlA, urlB] = [await urlOf(a.root), await urlOf(b.root)];
      assert.notEqual(new URL(urlA).port, new URL(urlB).port);
      assert.match(urlA, /\/alpha$/);
      assert.match(urlB, /\/beta$/);
      await sql(urlA, 'CREATE TABLE only_in_alpha (x int)');
      const inB = await sql(
        urlB,
        "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_alpha'",
      );
      assert.deepEqual(inB, [{ n: 0 }]);
    } finally {
      await Promise.all([a.poly('down'), b.poly('down')]);
    }
  });

  it('poly install installs and locks the database package; --frozen holds to poly.lock', async () => {
    const project = databaseProject(tmp.dir, 'locked', '[services.db]\nuse = "postgres@16"\n', env);
    const freshStore = { ...env, POLY_HOME: join(tmp.dir, 'fresh-home') };
    project.write('poly.lock', 'version = 1\n');
    const frozenFirst = await polyIn(freshStore, project.root, ['install', '--frozen']);
    assert.equal(frozenFirst.code, 1);
    assert.match(frozenFirst.stderr, /postgres "16" is not in poly\.lock/);
    const install = await polyIn(freshStore, project.root, ['install']);
    assert.equal(install.code, 0, install.stderr);
    assert.match(readFileSync(join(project.root, 'poly.lock'), 'utf8'), /\[packages\.postgres\]/);
    assert.ok(existsSync(join(tmp.dir, 'fresh-home', 'installs', 'postgres', '16.4.0', 'bin', 'postgres')));
    const again = await polyIn({ ...freshStore, POLY_HOME: join(tmp.dir, 'other-home') }, project.root, [
      'install',
      '--frozen',
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(existsSync(join(tmp.dir, 'other-home', 'installs', 'postgres', '16.4.0', 'bin', 'initdb')));
  });

  it('a failing init file is a clear error naming file and line, and leaves no data folder', async () => {
    const project = databaseProject(
      tmp.dir,
      'broken',
      '[services.db]\nuse = "postgres@16"\ninit = ["db/ok.sql", "db/bad.sql"]\n',
      env,
    );
    project.write('db/ok.sql', 'CREATE TABLE fine (x int);\n');
    project.write('db/bad.sql', 'INSERT INTO fine VALUES (1);\nINSERT INTO missing_table VALUES (2);\n');
    try {
      const up = await project.poly('up', '-d');
      assert.notEqual(up.code, 0);
      assert.match(up.stderr, /init file db\/bad\.sql:2: relation "missing_table" does not exist/);
      assert.equal(existsSync(join(project.root, '.poly/data/db')), false);
      assert.deepEqual(readdirSync(join(project.root, '.poly/data')), [], 'no staging folder left behind');
      // Fixed, the next run initialises from scratch and runs both files.
      project.write('db/bad.sql', 'INSERT INTO fine VALUES (1);\n');
      const fixed = await project.poly('up', '-d', '--json');
      assert.equal(fixed.code, 0, fixed.stderr);
      const ps = JSON.parse((await project.poly('ps', '--json')).stdout) as {
        services: Array<{ port: number }>;
      };
      const port = ps.services[0]?.port;
      assert.deepEqual(await sql(`postgres://dev:dev@127.0.0.1:${port}/broken`, 'SELECT x FROM fine'), [
        { x: 1 },
      ]);
    } finally {
      await project.poly('down');
    }
  });

  it('a database that cannot be created is a clear error, and leaves no data folder', async () => {
    // template1 is in every new cluster: CREATE DATABASE fails, and single-user mode would exit 0 for it.
    const project = databaseProject(
      tmp.dir,
      'taken',
      '[services.db]\nuse = "postgres@16"\ndatabase = "template1"\n',
      env,
    );
    try {
      const up = await project.poly('up', '-d');
      assert.notEqual(up.code, 0);
      assert.match(up.stderr, /creating the database template1: postgres failed/);
      assert.match(up.stderr, /database "template1" already exists/);
      assert.equal(existsSync(join(project.root, '.poly/data/db')), false);
      assert.deepEqual(readdirSync(join(project.root, '.poly/data')), [], 'no staging folder left behind');
    } finally {
      await project.poly('down');
    }
  });

  it('refuses an unknown database and a version the source lacks, with the fix', async () => {
    const typo = databaseProject(tmp.dir, 'typo', '[services.db]\nuse = "postgress@16"\n', env);
    const bad = await typo.poly('up', '-d');
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /poly\.toml:5:1: services\.db\.use: unknown database "postgress".*Did you mean "postgres"\?/,
    );

    await assertMissingVersionRefused(tmp.dir, env, { name: 'postgres', spec: '12', nearest: '16.4.0' });
    await assertPortInUseRefused(tmp.dir, 'postgres@16', env);
  });
});
