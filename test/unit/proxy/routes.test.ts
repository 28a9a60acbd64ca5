import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { projectDomain, publicUrl, serviceHostnames } from '../../../src/core/proxy/names.js';
import {
  hostOf,
  indexRoutes,
  matchRoute,
  type ProjectRoutes,
  parseProjectRoutes,
} from '../../../src/core/proxy/routes.js';
import { publicUrlEnv } from '../../../src/services/proxy/routes.js';

const shop: ProjectRoutes = {
  root: '/p/shop',
  name: 'shop',
  domain: 'shop.localhost',
  pid: 1,
  services: [
    { name: 'web', hostnames: ['web.shop.localhost', 'shop.localhost'], state: 'healthy', port: 4000 },
    { name: 'api', hostnames: ['api.shop.localhost'], state: 'backoff', port: 4001 },
  ],
};

describe('proxy routes', () => {
  it('forwards a running service to its own port, by any of its names', () => {
    const m = matchRoute([shop], 'shop.localhost');
    assert.equal(m.kind, 'forward');
    assert.equal(m.kind === 'forward' && m.port, 4000);
  });
  it('never forwards a service that is not running: its port may be anyone else now', () => {
    assert.equal(matchRoute([shop], 'api.shop.localhost').kind, 'stopped');
  });
  it('tells an unknown name inside a project from a name nobody has', () => {
    assert.equal(matchRoute([shop], 'docs.shop.localhost').kind, 'project');
    assert.equal(matchRoute([shop], 'other.localhost').kind, 'unknown');
  });
  it('indexes every published name to what matchRoute says, the first project holding a name winning', () => {
    const other: ProjectRoutes = {
      ...shop,
      root: '/p/other',
      services: [{ name: 'web', hostnames: ['shop.localhost', 'x.localhost'], state: 'healthy', port: 5000 }],
    };
    const index = indexRoutes([shop, other]);
    assert.deepEqual([...index.keys()].sort(), [
      'api.shop.localhost',
      'shop.localhost',
      'web.shop.localhost',
      'x.localhost',
    ]);
    for (const [host, match] of index) assert.deepEqual(match, matchRoute([shop, other], host));
    const first = index.get('shop.localhost');
    assert.equal(first?.kind === 'forward' && first.port, 4000);
  });
  it('reads the host from Host and :authority forms', () => {
    assert.equal(hostOf('web.shop.localhost'), 'web.shop.localhost');
    assert.equal(hostOf('Web.Shop.Localhost:8443'), 'web.shop.localhost');
    assert.equal(hostOf('web.shop.localhost.'), 'web.shop.localhost');
    assert.equal(hostOf('[::1]:8443'), '[::1]');
    assert.equal(hostOf(undefined), '');
  });
  it('rejects a malformed publish (a port that is not a port)', () => {
    assert.equal(
      parseProjectRoutes({ ...shop, services: [{ ...shop.services[0], port: 70000 }] }),
      undefined,
    );
    assert.deepEqual(parseProjectRoutes(shop), shop);
  });
  it('names services <service>.<project>.localhost, or under [project] domain', () => {
    assert.equal(projectDomain({ name: 'My Shop' }), 'my-shop.localhost');
    assert.equal(projectDomain({ name: 'shop', domain: 'store.localhost' }), 'store.localhost');
    assert.deepEqual(serviceHostnames({ name: 'api_v2', hostnames: ['x.localhost'] }, 'shop.localhost'), [
      'api-v2.shop.localhost',
      'x.localhost',
    ]);
    assert.equal(publicUrl('web.shop.localhost', 443), 'https://web.shop.localhost');
    assert.equal(publicUrl('web.shop.localhost', 8443), 'https://web.shop.localhost:8443');
  });
  it('gives <NAME>_PUBLIC_URL for HTTP services with a port only, not databases', () => {
    const postgres = { name: 'postgres' as const, spec: '16', init: [], config: {} };
    const env = publicUrlEnv(
      [
        { name: 'web', port: 3000 },
        { name: 'worker' },
        { name: 'api-gw', port: 'auto' },
        { name: 'db', port: 'auto', database: postgres },
      ],
      { project: { name: 'shop' } },
      8443,
    );
    assert.deepEqual(env, {
      WEB_PUBLIC_URL: 'https://web.shop.localhost:8443',
      API_GW_PUBLIC_URL: 'https://api-gw.shop.localhost:8443',
    });
    assert.deepEqual(
      publicUrlEnv([{ name: 'web', port: 3000 }], { project: { name: 'shop' } }, undefined),
      {},
    );
  });
});
