import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { proxyLayout, storeLayout } from '../../../src/core/store/layout.js';
import { isProcessRunning } from '../../../src/core/supervisor/process-alive.js';
import { type PostgresMirror, startPostgresMirror } from '../../helpers/mirror/postgres.js';
import { curl, type ProxyBox, poly, proxyBox, testService } from '../../helpers/proxy-fixture.js';

/**
 * A database service speaks its own protocol, not HTTP: the proxy gets no
 * route for it, and a project of databases only does not start the proxy
 * (its start was most of a warm `poly up -d`). Once an HTTP service joins
 * (a re-apply), the proxy starts and routes it. Real PostgreSQL, real proxy.
 */
describe('the HTTPS proxy and database services', () => {
  let mirror: PostgresMirror;
  let box: ProxyBox;
  let shop: string;
  const state = () => proxyLayout(storeLayout(box.env)).stateFile;

  before(async () => {
    mirror = await startPostgresMirror();
    box = await proxyBox(mirror.env);
    shop = box.project('shop', '[services.db]\nuse = "postgres@16"\n');
  });

  after(async () => {
    await poly(box, shop, ['down']);
    if (existsSync(state())) {
      const { pid } = JSON.parse(readFileSync(state(), 'utf8'));
      if (isProcessRunning(pid)) process.kill(pid, 'SIGTERM');
    }
    await mirror.close();
    box.cleanup();
  });

  it('starts no proxy for databases only, then routes the HTTP service a re-apply adds', async () => {
    const up = await poly(box, shop, ['up', '-d', '--json']);
    assert.equal(up.code, 0, up.stderr);
    const db = JSON.parse(up.stdout).services.find((s: { name: string }) => s.name === 'db');
    assert.equal(db.state, 'healthy');
    assert.equal(db.publicUrl, undefined, 'a database has no https URL');
    assert.equal(existsSync(state()), false, 'no proxy was started for a database');
    assert.equal(JSON.parse(up.stdout).proxyWarning, undefined, 'no https name, so no word of the proxy');

    writeFileSync(
      join(shop, 'poly.toml'),
      `[project]\nname = "shop"\n\n[services.db]\nuse = "postgres@16"\n\n${testService('web')}`,
    );
    const apply = await poly(box, shop, ['up', '-d']);
    assert.equal(apply.code, 0, apply.stderr);
    assert.equal(existsSync(state()), true, 'the proxy runs once an HTTP service is up');
    const ca = (await poly(box, shop, ['trust', '--path'])).stdout.trim();
    const url = (host: string) => `https://${host}:${box.httpsPort}/`;
    const web = await curl(['--cacert', ca, '-w', '\n%{http_code}', url('web.shop.localhost')]);
    const answer = JSON.parse(web.split('\n')[0] ?? '');
    assert.equal(answer.service, 'web');
    assert.equal(answer.publicUrls.DB_PUBLIC_URL, undefined, 'no https URL for the database');
    assert.match(
      await curl(['--cacert', ca, url('db.shop.localhost')]),
      /No service named db\.shop\.localhost/,
    );
  });
});
