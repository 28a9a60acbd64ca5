import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  containerDataFolder,
  containerShellCommand,
  mariadbBackupCommand,
  postgresFilesCommand,
  replaceCommand,
  unpackCommand,
  verifyCommand,
} from '../../../src/core/databases/container-tools.js';
import type { DatabaseSpec, Manifest } from '../../../src/core/manifest/types.js';

const manifest = { project: { name: 'shop' }, root: '/work/shop' } as Manifest;
const db = (name: DatabaseSpec['name'], extra: Partial<DatabaseSpec> = {}): DatabaseSpec => ({
  name,
  spec: name === 'postgres' ? '16' : '11',
  init: [],
  config: {},
  ...extra,
});
const secret = "p'w; rm -rf /";

describe('what poly db runs inside a container-mode database', () => {
  it('logs the clients in as the service user, the password in the environment, never in argv', () => {
    const pg = containerShellCommand(manifest, db('postgres', { user: 'app', password: secret }), ['-At']);
    assert.deepEqual(pg.cmd, ['psql', '-h', '127.0.0.1', '-U', 'app', '-d', 'shop', '-At']);
    assert.deepEqual(pg.env, { PGPASSWORD: secret });
    const maria = containerShellCommand(
      manifest,
      db('mariadb', { password: secret, database: 'orders' }),
      [],
    );
    assert.deepEqual(maria.cmd, [
      'mariadb',
      '--protocol=TCP',
      '--host=127.0.0.1',
      '--user=dev',
      '--database=orders',
    ]);
    assert.deepEqual(maria.env, { MYSQL_PWD: secret });
    const valkey = containerShellCommand(manifest, db('valkey', { password: secret }), ['ping']);
    assert.deepEqual(valkey, { cmd: ['valkey-cli', 'ping'], env: { REDISCLI_AUTH: secret } });
    assert.deepEqual(containerShellCommand(manifest, db('redis'), []), { cmd: ['redis-cli'], env: {} });
    for (const c of [pg, maria, valkey]) assert.ok(!c.cmd.some((a) => a.includes(secret)));
  });

  it('snapshots PGDATA (the folder the official image is told to use), without the lock file and the WAL', () => {
    assert.equal(containerDataFolder(manifest, db('postgres')), '/var/lib/postgresql/data/pgdata');
    assert.equal(containerDataFolder(manifest, db('mariadb')), '/var/lib/mysql');
    const tar = postgresFilesCommand('/var/lib/postgresql/data/pgdata').cmd;
    assert.equal(tar[0], 'tar');
    for (const skipped of ['./postmaster.pid', './pg_wal/*', './pg_replslot/*'])
      assert.ok(tar.includes(`--exclude=${skipped}`), skipped);
    assert.deepEqual(tar.slice(-3), ['-C', '/var/lib/postgresql/data/pgdata', '.']);
  });

  it('backs MariaDB up as root with the password in the environment, and prepares the copy', () => {
    const backup = mariadbBackupCommand(manifest, db('mariadb', { password: secret }));
    assert.deepEqual(backup.cmd.slice(0, 2), ['sh', '-c']);
    assert.match(backup.cmd[2]!, /--backup[^\n]*--user=root/);
    assert.match(backup.cmd[2]!, /--prepare/);
    assert.ok(!backup.cmd[2]!.includes(secret));
    assert.deepEqual(backup.env, { MYSQL_PWD: secret });
  });

  it('passes folders to its fixed scripts as positional arguments, not inside the script', () => {
    const unpack = unpackCommand('/var/lib/postgresql/data/pgdata', 'postgres');
    assert.deepEqual(unpack.cmd.slice(3), ['sh', '/var/lib/postgresql/data/pgdata', 'postgres:postgres']);
    assert.ok(!unpack.cmd[2]!.includes('/var/lib'));
    const replace = replaceCommand('/poly-snapshot', '/var/lib/mysql');
    assert.deepEqual(replace.cmd.slice(3), ['sh', '/poly-snapshot', '/var/lib/mysql']);
  });

  it('verifies a copy by starting the server on it without a port', () => {
    assert.deepEqual(verifyCommand(db('postgres'), '/d').cmd, [
      'postgres',
      '--single',
      '-D',
      '/d',
      'postgres',
    ]);
    const maria = verifyCommand(db('mariadb'), '/var/lib/mysql');
    assert.ok(maria.cmd.includes('--bootstrap') && maria.cmd.includes('--skip-networking'));
    assert.match(maria.input, /mysql\.global_priv/);
  });
});
