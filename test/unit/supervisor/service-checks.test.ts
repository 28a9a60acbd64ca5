import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ServiceSpec } from '../../../src/core/manifest/types.js';
import { healthProbe } from '../../../src/core/supervisor/health.js';
import { ManagedService } from '../../../src/core/supervisor/managed-service.js';
import { RotatingLog } from '../../../src/core/supervisor/rotating-log.js';
import { runMarker } from '../../../src/core/supervisor/run-marker.js';
import type { ServiceRunner } from '../../../src/core/supervisor/runner.js';
import { lastLines } from '../../../src/services/up/logs.js';

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.on('error', () => {}));
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

/** A port nothing listens on: taken from the kernel, then let go. */
async function closedPort(): Promise<number> {
  const { server, port } = await listen();
  await new Promise((r) => server.close(r));
  return port;
}

const timing = { interval: 1000, timeout: 1000, retries: 3 };

describe('health checks of container services', () => {
  it("checks a container's own tcp port through the port published for it, not the host's", async () => {
    const published = await listen();
    const containerPort = await closedPort();
    try {
      const probe = healthProbe({
        check: { kind: 'tcp', port: containerPort },
        port: published.port,
        containerPort,
        timing,
        env: {},
        cwd: tmpdir(),
        published: true,
      });
      assert.equal(await probe?.(), true);
      // A native service's tcp check is the host's port, as written.
      const native = healthProbe({
        check: { kind: 'tcp', port: containerPort },
        port: published.port,
        timing,
        env: {},
        cwd: tmpdir(),
      });
      assert.equal(await native?.(), false);
    } finally {
      published.server.close();
    }
  });
});

describe('poly ps: an http URL only for services that speak HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-status-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const runner: ServiceRunner = {
    mode: 'native',
    start: () => Promise.reject(new Error('not started in this test')),
  };
  const status = (spec: Partial<ServiceSpec>) =>
    new ManagedService({
      spec: {
        name: 'svc',
        path: dir,
        relativePath: '.',
        run: 'true',
        healthTiming: timing,
        dependsOn: [],
        env: {},
        restart: 'no',
        stopTimeout: 1000,
        mode: 'native',
        ...spec,
      },
      runner,
      env: {},
      port: 4100,
      log: new RotatingLog(join(dir, 'svc.log')),
      emit: () => {},
    }).status();

  it('shows http://… for an HTTP health check or protocol = "http", host:port otherwise', () => {
    assert.equal(status({ health: { kind: 'http', path: '/health' } }).url, 'http://127.0.0.1:4100');
    assert.equal(status({ protocol: 'http' }).url, 'http://127.0.0.1:4100');
    const grpc = status({});
    assert.equal(grpc.url, undefined);
    assert.equal(grpc.address, '127.0.0.1:4100');
    assert.equal(status({ health: { kind: 'http', path: '/' }, protocol: 'tcp' }).url, undefined);
  });
});

describe('poly logs: the current run only', () => {
  it('starts at the last start marker unless every run is asked for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'poly-logs-'));
    try {
      const file = join(dir, 'api.log');
      const first = runMarker(Date.UTC(2026, 11, 1, 9, 12, 3), 0);
      const second = runMarker(Date.UTC(2026, 11, 1, 9, 13, 0), 2);
      assert.equal(first, '--- started 2026-12-01T09:12:03Z ---');
      assert.equal(second, '--- started 2026-12-01T09:13:00Z (restart 2) ---');
      const text = `${first}\nold output\nlistening on 3000\n${second}\nnew output\n`;
      writeFileSync(file, text);
      assert.deepEqual(lastLines(file, text.length, 100, { currentRun: true }), [second, 'new output']);
      assert.deepEqual(lastLines(file, text.length, 100).length, 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
