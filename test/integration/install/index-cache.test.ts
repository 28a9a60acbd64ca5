import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PolyError } from '../../../src/core/errors.js';
import { cachedFetchText } from '../../../src/core/runtimes/index-cache.js';
import { storeLayout } from '../../../src/core/store/layout.js';
import { startTinyDistServer, type TinyDistServer } from '../../helpers/tiny-dist-server.js';

const http = { timeoutMs: 2000, retries: 0, backoffMs: 1 };

describe('remote index cache under POLY_HOME', () => {
  let server: TinyDistServer;
  let dir: string;
  before(async () => {
    server = await startTinyDistServer();
    server.mount('/idx', new Map([['/index.json', '[1]']]));
    dir = mkdtempSync(join(tmpdir(), 'poly-cache-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reuses a fresh copy, refetches when stale or with --refresh, and serves offline from the cache', async () => {
    const layout = storeLayout({ POLY_HOME: join(dir, 'home'), POLY_CONFIG_DIR: join(dir, 'config') });
    const url = `${server.url}/idx/index.json`;
    let now = 1_000_000;
    const fetchWith = (o: { refresh?: boolean; offline?: boolean } = {}) =>
      cachedFetchText(layout, { ttlMs: 60_000, http, now: () => now, ...o });
    const hits = () => server.hitCount('/idx/index.json');

    assert.equal(await fetchWith()(url), '[1]');
    assert.equal(hits(), 1);
    now += 30_000;
    assert.equal(await fetchWith()(url), '[1]');
    assert.equal(hits(), 1, 'fresh: no request');
    await fetchWith({ refresh: true })(url);
    assert.equal(hits(), 2, '--refresh: a request');
    now += 120_000;
    await fetchWith()(url);
    assert.equal(hits(), 3, 'stale: a request');
    now += 10 * 86_400_000;
    assert.equal(await fetchWith({ offline: true })(url), '[1]');
    assert.equal(hits(), 3, 'offline: however old, no request');
    await assert.rejects(fetchWith({ offline: true })(`${server.url}/idx/other.json`), (err: PolyError) => {
      assert.equal(err.code, 'OFFLINE_NO_CACHE');
      return true;
    });
  });
});
