import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceSpec } from '../../../src/core/manifest/types.js';
import { type PlannedService, reconcile } from '../../../src/core/supervisor/reconcile.js';

function spec(name: string, extra: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name,
    path: `/p/${name}`,
    relativePath: name,
    run: 'node server.js',
    port: 'auto',
    healthTiming: { interval: 1000, timeout: 1000, retries: 3 },
    dependsOn: [],
    env: {},
    restart: 'on-failure',
    stopTimeout: 10_000,
    mode: 'native',
    ...extra,
  };
}

/** A project of db and api (api depends on db), each with the peer variables poly injects. */
function project(o: { dbPort?: number; apiEnv?: Record<string, string>; extra?: string[] } = {}) {
  const ports: Record<string, number> = { db: o.dbPort ?? 5432, api: 3000 };
  (o.extra ?? []).forEach((name, i) => {
    ports[name] = 4000 + i;
  });
  const services: Record<string, PlannedService> = {};
  for (const name of Object.keys(ports)) {
    const own = name === 'api' ? (o.apiEnv ?? {}) : {};
    // As planUp composes it: the project's, the service's own, PORT, then the peers'.
    const env: Record<string, string> = { PATH: '/bin', ...own, PORT: String(ports[name]) };
    for (const [peer, port] of Object.entries(ports)) {
      if (peer === name) continue;
      const p = peer.toUpperCase();
      Object.assign(env, {
        [`${p}_URL`]: `http://127.0.0.1:${port}`,
        [`${p}_HOST`]: '127.0.0.1',
        [`${p}_PORT`]: `${port}`,
      });
    }
    services[name] = {
      spec: spec(name, { env: own, dependsOn: name === 'api' ? ['db'] : [] }),
      env,
      port: ports[name] as number,
      runtimeLabel: 'node@22',
    };
  }
  return services;
}

const byName = (changes: ReturnType<typeof reconcile>) =>
  Object.fromEntries(changes.map((c) => [c.name, c.reason ? `${c.action}: ${c.reason}` : c.action]));

describe('reconcile: what poly up -d does to a running project', () => {
  it('keeps every service when nothing changed', () => {
    assert.deepEqual(byName(reconcile({ current: project(), next: project() })), { db: 'kept', api: 'kept' });
  });

  it('restarts a service whose own env changed, and only that one', () => {
    const next = project({ apiEnv: { GREETING: 'hello' } });
    assert.deepEqual(byName(reconcile({ current: project({ apiEnv: { GREETING: 'hi' } }), next })), {
      db: 'kept',
      api: 'restarted: env GREETING changed',
    });
  });

  it('starts a new service without restarting the others for its injected URL', () => {
    const changes = reconcile({ current: project(), next: project({ extra: ['worker'] }) });
    assert.deepEqual(byName(changes), { db: 'kept', api: 'kept', worker: 'started: new' });
  });

  it('removes a service the new plan no longer has, keeping the others', () => {
    const changes = reconcile({ current: project({ extra: ['worker'] }), next: project() });
    assert.deepEqual(byName(changes), { db: 'kept', api: 'kept', worker: 'removed: no longer in poly.toml' });
  });

  it('restarts a moved service and the services whose env points at it', () => {
    const changes = reconcile({ current: project({ dbPort: 5432 }), next: project({ dbPort: 5433 }) });
    assert.deepEqual(byName(changes), {
      db: 'restarted: port 5432 -> 5433; env PORT changed',
      api: 'restarted: env DB_PORT, DB_URL changed',
    });
  });

  it('restarts on a spec, mode, runtime or container setup change', () => {
    const current = project();
    const next = project();
    next.db = { ...(next.db as PlannedService), spec: spec('db', { run: 'node other.js' }) };
    next.api = {
      ...(next.api as PlannedService),
      spec: { ...(next.api as PlannedService).spec, mode: 'container' },
      runtimeLabel: 'node@20',
      fingerprint: '{"baseImage":"debian"}',
    };
    assert.deepEqual(byName(reconcile({ current, next })), {
      db: 'restarted: run changed',
      api: 'restarted: mode native -> container; runtime node@22 -> node@20; container setup changed',
    });
  });

  it("counts a variable a newcomer's name collides with when it was set before", () => {
    // api set WORKER_URL itself; the new worker service's injected one replaces it.
    const current = project({ apiEnv: { WORKER_URL: 'http://elsewhere' } });
    const next = project({ apiEnv: { WORKER_URL: 'http://elsewhere' }, extra: ['worker'] });
    assert.equal(byName(reconcile({ current, next })).api, 'restarted: env WORKER_URL changed');
  });

  it('leaves services outside the scope alone, neither restarted nor removed', () => {
    const current = project({ apiEnv: { GREETING: 'hi' } });
    const next = project({ apiEnv: { GREETING: 'hello' } });
    assert.deepEqual(byName(reconcile({ current, next, scope: ['db'] })), { db: 'kept' });
  });

  it('starts a service that had failed again, even unchanged', () => {
    assert.deepEqual(byName(reconcile({ current: project(), next: project(), failed: ['db'] })), {
      db: 'restarted: it had failed',
      api: 'kept',
    });
  });
});
