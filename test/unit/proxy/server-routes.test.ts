import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureLocalCa } from '../../../src/core/proxy/ca.js';
import { ProxyServer } from '../../../src/core/proxy/server.js';
import { proxyLayout, storeLayout } from '../../../src/core/store/layout.js';
import { isProcessRunning } from '../../../src/core/supervisor/process-alive.js';

describe('the proxy route table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-proxy-table-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('drops the routes of a supervisor that died without saying so (kill -9), keeping its page', async () => {
    const paths = proxyLayout(storeLayout({ POLY_HOME: dir, POLY_CONFIG_DIR: dir }));
    const server = new ProxyServer({
      ca: await ensureLocalCa(paths, process.env),
      leavesDir: paths.leaves,
      host: '127.0.0.1',
      httpsPort: 0,
    });
    // A real process that has ended: its pid is free.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    assert.equal(isProcessRunning(dead), false);
    const service = { name: 'web', hostnames: ['web.a.localhost'], state: 'healthy' as const, port: 4000 };
    server.publish({ root: '/a', name: 'a', domain: 'a.localhost', pid: dead, services: [service] });
    server.publish({ root: '/b', name: 'b', domain: 'b.localhost', pid: process.pid, services: [] });
    assert.deepEqual(
      server.live(isProcessRunning).map((p) => p.name),
      ['b'],
    );
    const a = server.projects().find((p) => p.name === 'a');
    assert.equal(a?.services[0]?.state, 'stopped');
  });

  it('ignores an unpublish from a supervisor that no longer owns the project', async () => {
    const paths = proxyLayout(storeLayout({ POLY_HOME: dir, POLY_CONFIG_DIR: dir }));
    const server = new ProxyServer({
      ca: await ensureLocalCa(paths, process.env),
      leavesDir: paths.leaves,
      host: '127.0.0.1',
      httpsPort: 0,
    });
    const service = { name: 'web', hostnames: ['web.a.localhost'], state: 'healthy' as const, port: 4000 };
    server.publish({ root: '/a', name: 'a', domain: 'a.localhost', pid: process.pid, services: [service] });
    server.unpublish('/a', process.pid + 100_000);
    assert.equal(server.projects()[0]?.services[0]?.state, 'healthy');
    server.unpublish('/a', process.pid);
    assert.equal(server.projects()[0]?.services[0]?.state, 'stopped');
  });
});
