import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { caFingerprint, caNickname, nssStores, systemStore } from '../../../src/core/proxy/trust-stores.js';
import { testHost } from '../../helpers/context.js';

describe('trust stores', () => {
  const home = mkdtempSync(join(tmpdir(), 'poly-trust-home-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const db = (dir: string) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cert9.db'), '');
  };

  it('finds Chromium and every Firefox profile with an NSS database, and only those', () => {
    db(join(home, '.pki', 'nssdb'));
    db(join(home, '.mozilla', 'firefox', 'abc.default-release'));
    mkdirSync(join(home, '.mozilla', 'firefox', 'no-db'), { recursive: true });
    const stores = nssStores(
      '/ca.pem',
      'poly local CA 0123456789ab',
      { HOME: home, PATH: '/nowhere' },
      testHost().os,
    );
    assert.deepEqual(
      stores.map((s) => s.name),
      [
        `NSS database ${join(home, '.pki', 'nssdb')} (Chromium)`,
        `NSS database ${join(home, '.mozilla', 'firefox', 'abc.default-release')} (Firefox)`,
      ],
    );
    // Arguments, never a shell string: a nickname with spaces stays one argument.
    assert.deepEqual(stores[0]?.install[0]?.argv, [
      'certutil',
      '-d',
      `sql:${join(home, '.pki', 'nssdb')}`,
      '-A',
      '-t',
      'C,,',
      '-n',
      'poly local CA 0123456789ab',
      '-i',
      '/ca.pem',
    ]);
    assert.match(stores[0]?.missing ?? '', /certutil is not installed/, 'no certutil on this PATH');
  });

  it('names the CA by its fingerprint, so uninstall removes only this CA', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n';
    // "AAEC" is the DER bytes 00 01 02: the fingerprint is their SHA-256, not the PEM text's.
    assert.equal(
      caFingerprint(pem),
      createHash('sha256')
        .update(Buffer.from([0, 1, 2]))
        .digest('hex'),
    );
    assert.match(caNickname(pem), /^poly local CA [0-9a-f]{12}$/);
    assert.notEqual(caNickname(pem), caNickname(pem.replace('AAEC', 'AAED')));
  });

  it('copies to and rebuilds the system store as root steps, where the OS has one', () => {
    const store = systemStore(
      '/ca.pem',
      'poly local CA 0123456789ab',
      { PATH: process.env.PATH ?? '' },
      testHost().os,
    );
    if (!existsSync('/usr/sbin/update-ca-certificates')) {
      process.stdout.write('# no update-ca-certificates here: the Debian system store case is not checked\n');
      return;
    }
    assert.equal(store?.name, 'system store (update-ca-certificates)');
    if (!store) return;
    assert.deepEqual(store.install[0]?.argv, [
      'install',
      '-m',
      '0644',
      '/ca.pem',
      '/usr/local/share/ca-certificates/poly-local-ca-0123456789ab.crt',
    ]);
    assert.ok(store.install.every((c) => c.root));
    assert.ok(store.install.some((c) => c.argv.includes('/ca.pem')));
  });
});
