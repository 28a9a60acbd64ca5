import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checksumFor, mariadb, parseArchiveIndex } from '../../../packages/mariadb.js';
import { bootstrapSql, initFileError } from '../../../src/core/databases/mariadb-init.js';
import {
  mariadbCnf,
  mariadbLayout,
  sqlIdent,
  sqlString,
} from '../../../src/core/databases/mariadb-server.js';
import { verifyMariadbCopy } from '../../../src/core/databases/mariadb-snapshot.js';
import { ensureMariadbTls } from '../../../src/core/databases/mariadb-tls.js';
import { greetingVerdict } from '../../../src/core/databases/mariadb-wire.js';
import { officialDatabaseImage } from '../../../src/core/databases/official-image.js';

function packet(payload: number[]): Buffer {
  const head = Buffer.from([payload.length & 0xff, 0, 0, 0]);
  return Buffer.concat([head, Buffer.from(payload)]);
}

describe('mariadb package: the archive layout', () => {
  it('lists the release folders of an archive index, newest first, once each', () => {
    const html =
      '<a href="../">../</a><a href="mariadb-10.11.9/">x</a><a href="mariadb-11.4.2/">y</a>' +
      '<a href="mariadb-11.4.2/">y</a><a href="mariadb-galera-26.4.1/">g</a><a href="mariadb-5.5.68/">z</a>';
    assert.deepEqual(parseArchiveIndex(html), ['11.4.2', '10.11.9', '5.5.68']);
  });

  it('takes the sha256 of the named file from sha256sums.txt', () => {
    const a = 'a'.repeat(64);
    const b = 'B'.repeat(64);
    const sums = `${a}  mariadb-11.4.2-linux-systemd-x86_64.tar.gz.asc\n${b} *mariadb-11.4.2-linux-systemd-x86_64.tar.gz\n`;
    assert.equal(checksumFor(sums, 'mariadb-11.4.2-linux-systemd-x86_64.tar.gz'), 'b'.repeat(64));
    assert.equal(checksumFor(sums, 'mariadb-11.4.2-linux-x86_64.tar.gz'), undefined);
  });

  it('records each platform the release has, and refuses a sums file without the tarball', async () => {
    const hex = 'c'.repeat(64);
    const fetch = async (url: string) => {
      if (url.includes('aarch64')) throw Object.assign(new Error('404'), { code: 'NOT_FOUND' });
      return `${hex}  mariadb-11.4.2-linux-systemd-x86_64.tar.gz\n`;
    };
    const out = await mariadb.artifacts('http://m', '11.4.2', fetch);
    assert.deepEqual(Object.keys(out), ['linux-x64']);
    assert.equal(
      out['linux-x64']?.url,
      'http://m/mariadb-11.4.2/bintar-linux-systemd-x86_64/mariadb-11.4.2-linux-systemd-x86_64.tar.gz',
    );
    assert.equal(out['linux-x64']?.checksum, `sha256:${hex}`);
    await assert.rejects(
      mariadb.artifacts('http://m', '11.4.3', async (u) => (u.includes('aarch64') ? '' : fetch(u))),
      /has no sha256 for mariadb-11\.4\.3/,
    );
  });
});

describe('mariadb recipe parts', () => {
  it('reads the protocol greeting: 0x0a is ready, an error is up unless the server is shutting down', () => {
    assert.equal(greetingVerdict(packet([0x0a, 0x35, 0x2e])), true);
    assert.equal(greetingVerdict(packet([0xff, 1040 & 0xff, 1040 >> 8])), true, 'too many connections: up');
    assert.equal(greetingVerdict(packet([0xff, 1053 & 0xff, 1053 >> 8])), false, 'shutdown in progress');
    assert.equal(greetingVerdict(Buffer.from([1, 0, 0])), undefined, 'not whole yet');
    assert.equal(greetingVerdict(packet([0x00])), false);
  });

  it("names the init file and line from the client's error", () => {
    const e = initFileError('db/seed.sql', "ERROR 1146 (42S02) at line 7: Table 'shop.nope' doesn't exist\n");
    assert.equal(e.message, "init file db/seed.sql:7: Table 'shop.nope' doesn't exist");
    assert.equal(initFileError('db/x.sql', 'killed').message, 'init file db/x.sql: killed');
  });

  it('quotes what goes into SQL, and bootstraps with the user, database and no passwordless root', () => {
    assert.equal(sqlString("it's \\ here"), "'it\\'s \\\\ here'");
    assert.equal(sqlIdent('we`ird'), '`we``ird`');
    const home = mkdtempSync(join(tmpdir(), 'poly-maria-layout-'));
    mkdirSync(join(home, 'share'));
    for (const f of [
      'mysql_system_tables.sql',
      'mysql_performance_tables.sql',
      'mysql_system_tables_data.sql',
      'fill_help_tables.sql',
      'maria_add_gis_sp_bootstrap.sql',
      'mysql_sys_schema.sql',
    ])
      writeFileSync(join(home, 'share', f), `-- ${f}\n`);
    const layout = mariadbLayout(home);
    assert.equal(layout.share, join(home, 'share'));
    const sql = bootstrapSql(layout, { user: 'app', password: "p'w", database: 'shop' });
    assert.ok(sql.indexOf('-- mysql_system_tables.sql') < sql.indexOf('-- mysql_sys_schema.sql'));
    assert.match(sql, /^CREATE DATABASE IF NOT EXISTS `shop`;$/m);
    assert.match(sql, /^CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'p\\'w';$/m);
    assert.match(sql, /^ALTER USER 'root'@'localhost' IDENTIFIED BY 'p\\'w';$/m);
    assert.doesNotMatch(sql, /mysql_test_db/, 'no test database');
    const cnf = mariadbCnf(layout, '/p/.poly/data/db', { max_connections: '50' });
    assert.match(cnf, /^bind-address=127\.0\.0\.1$/m);
    assert.match(cnf, /^socket=mariadbd\.sock$/m, 'relative: inside the data folder at any depth');
    assert.match(cnf, /^max_connections=50$/m);
    assert.match(cnf, /^skip-ssl$/m, "poly's private servers: no TLS, so 11.4+ makes no certificate");
    const tls = { cert: '/p/.poly/data/db/poly-tls-cert.pem', key: '/p/.poly/data/db/poly-tls-key.pem' };
    const served = mariadbCnf(layout, '/p/.poly/data/db', {}, 'mariadbd.sock', tls);
    assert.match(served, /^ssl-cert=\/p\/\.poly\/data\/db\/poly-tls-cert\.pem$/m);
    assert.match(served, /^ssl-key=\/p\/\.poly\/data\/db\/poly-tls-key\.pem$/m);
    assert.doesNotMatch(served, /skip-ssl/);
  });

  it("bootstraps MariaDB 11's renamed files (mariadb_*), in mariadb-install-db's order", () => {
    const home = mkdtempSync(join(tmpdir(), 'poly-maria11-layout-'));
    mkdirSync(join(home, 'share'));
    const eleven = [
      'mariadb_system_tables.sql',
      'mariadb_performance_tables.sql',
      'mariadb_system_tables_data.sql',
      'fill_help_tables.sql',
      'maria_add_gis_sp_bootstrap.sql',
      'mariadb_sys_schema.sql',
    ];
    for (const f of eleven) writeFileSync(join(home, 'share', f), `-- ${f}\n`);
    const layout = mariadbLayout(home);
    assert.equal(layout.share, join(home, 'share'));
    const sql = bootstrapSql(layout, { user: 'app', password: 'pw', database: 'shop' });
    const at = eleven.map((f) => sql.indexOf(`-- ${f}`));
    assert.ok(
      at.every((i, n) => i >= 0 && (n === 0 || i > (at[n - 1] as number))),
      `all six, in order: ${at}`,
    );
    rmSync(join(home, 'share', 'mariadb_sys_schema.sql'));
    assert.throws(
      () => bootstrapSql(layout, { user: 'app', password: 'pw', database: 'shop' }),
      /has no mariadb_sys_schema\.sql or mysql_sys_schema\.sql/,
    );
  });

  it("makes the server's TLS certificate once per data folder, for 127.0.0.1 and localhost, its key 0600", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'poly-maria-tls-'));
    const tls = await ensureMariadbTls(dataDir);
    const pem = readFileSync(tls.cert, 'utf8');
    const cert = new X509Certificate(pem);
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.ok(new Date(cert.validTo).getTime() > Date.now() + 365 * 86_400_000, 'valid for years');
    assert.equal(statSync(tls.key).mode & 0o777, 0o600);
    assert.ok(cert.checkPrivateKey(createPrivateKey(readFileSync(tls.key))), "the key is the certificate's");
    await ensureMariadbTls(dataDir);
    assert.equal(readFileSync(tls.cert, 'utf8'), pem, 'kept, not made again at the next start');
    assert.deepEqual(readdirSync(dataDir).sort(), ['poly-tls-cert.pem', 'poly-tls-key.pem']);
  });

  it('refuses to restore a snapshot without the system schema or the marker, before starting anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poly-maria-snap-'));
    const layout = mariadbLayout(join(dir, 'no-install'));
    await assert.rejects(verifyMariadbCopy(layout, dir), /holds no complete data folder/);
    mkdirSync(join(dir, 'mysql'));
    await assert.rejects(
      verifyMariadbCopy(layout, dir),
      /holds no complete data folder/,
      'no poly-initialised',
    );
  });

  it("exports to MariaDB's official image with its documented variables", () => {
    const db = { name: 'mariadb' as const, spec: '11', init: [], config: {} };
    assert.deepEqual(officialDatabaseImage({ project: { name: 'shop' } } as never, db), {
      image: 'mariadb:11',
      port: 3306,
      env: {
        MARIADB_DATABASE: 'shop',
        MARIADB_ROOT_PASSWORD: 'dev',
        MARIADB_USER: 'dev',
        MARIADB_PASSWORD: 'dev',
      },
      dataPath: '/var/lib/mysql',
    });
  });
});
