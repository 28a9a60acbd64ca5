import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureLocalCa } from '../../../src/core/proxy/ca.js';
import { isLocalName, LEAF_DAYS, LeafCache } from '../../../src/core/proxy/leaf-cache.js';
import { proxyLayout, storeLayout } from '../../../src/core/store/layout.js';

/** The system openssl checks what we made: a second, independent X.509 implementation. */
function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('local CA and leaf certificates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-ca-'));
  const paths = proxyLayout(storeLayout({ POLY_HOME: join(dir, 'home'), POLY_CONFIG_DIR: join(dir, 'cfg') }));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the CA on first use under the store, key readable by the user only, and reuses it', async () => {
    const first = await ensureLocalCa(paths, process.env);
    assert.equal(statSync(paths.caKey).mode & 0o777, 0o600);
    assert.equal(statSync(join(paths.caKey, '..')).mode & 0o777, 0o700);
    assert.ok(paths.caCert.startsWith(join(dir, 'home', 'proxy')));
    const again = await ensureLocalCa(paths, process.env);
    assert.equal(again.certPem, first.certPem);
    const text = openssl(['x509', '-in', paths.caCert, '-noout', '-text']);
    assert.match(text, /CA:TRUE, pathlen:0/);
    assert.match(text, /Name Constraints: critical\s+Permitted:\s+DNS:localhost/);
  });

  it('two callers creating the CA at once end with one CA (staging folder renamed into place)', async () => {
    const racePaths = proxyLayout(
      storeLayout({ POLY_HOME: join(dir, 'race'), POLY_CONFIG_DIR: join(dir, 'cfg') }),
    );
    const [a, b] = await Promise.all([
      ensureLocalCa(racePaths, process.env),
      ensureLocalCa(racePaths, process.env),
    ]);
    assert.equal(a.certPem, b.certPem);
    assert.equal(readFileSync(racePaths.caCert, 'utf8'), a.certPem);
  });

  it('issues a short-lived leaf per name, with the name as SAN, that openssl verifies against the CA', async () => {
    const ca = await ensureLocalCa(paths, process.env);
    const leaves = new LeafCache(ca, paths.leaves);
    const leaf = await leaves.get('web.shop.localhost');
    const file = join(dir, 'leaf.pem');
    writeFileSync(file, leaf.certPem);
    assert.match(
      openssl(['verify', '-CAfile', paths.caCert, '-verify_hostname', 'web.shop.localhost', file]),
      /: OK/,
    );
    const text = openssl(['x509', '-in', file, '-noout', '-text']);
    assert.match(text, /DNS:web\.shop\.localhost/);
    assert.match(text, /TLS Web Server Authentication/);
    const days = (leaf.notAfter.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > LEAF_DAYS - 1 && days <= LEAF_DAYS, `leaf valid ${days} days`);
    assert.equal(statSync(join(paths.leaves, 'web.shop.localhost.pem')).mode & 0o777, 0o600);
  });

  it('serves a cached leaf from disk to a new cache, and re-issues one signed by a replaced CA', async () => {
    const ca = await ensureLocalCa(paths, process.env);
    const first = await new LeafCache(ca, paths.leaves).get('api.shop.localhost');
    const second = await new LeafCache(ca, paths.leaves).get('api.shop.localhost');
    assert.equal(second.certPem.trim(), first.certPem.trim());

    const otherPaths = proxyLayout(
      storeLayout({ POLY_HOME: join(dir, 'other'), POLY_CONFIG_DIR: join(dir, 'cfg') }),
    );
    const otherCa = await ensureLocalCa(otherPaths, process.env);
    const reissued = await new LeafCache(otherCa, paths.leaves).get('api.shop.localhost');
    assert.notEqual(reissued.certPem.trim(), first.certPem.trim());
  });

  it('refuses names outside localhost, which the name constraints would reject anyway', async () => {
    const ca = await ensureLocalCa(paths, process.env);
    await assert.rejects(new LeafCache(ca, paths.leaves).get('example.com'), /not a local name/);
    assert.equal(isLocalName('../../etc.localhost'), false);
    assert.equal(isLocalName('a_b.localhost'), false);
    assert.equal(isLocalName('shop.localhost'), true);
  });
});
