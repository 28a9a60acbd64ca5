import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ServiceStatus, SupervisorEvent } from '../../../src/core/supervisor/status.js';
import { type RunningUp, startServices } from '../../../src/services/up/up.js';
import { testContext } from '../../helpers/context.js';
import { makeServicesProject, nodeService, processesWithToken } from '../../helpers/services-project.js';

interface Timeline {
  /** First time each service entered each state. */
  first(service: string, state: ServiceStatus['state']): number;
  lines(service: string): string[];
}

function record(run: RunningUp): Timeline {
  const firsts = new Map<string, number>();
  const lines = new Map<string, string[]>();
  run.supervisor.on((event: SupervisorEvent) => {
    if (event.type === 'status') {
      const key = `${event.status.name}:${event.status.state}`;
      if (!firsts.has(key)) firsts.set(key, Date.now());
    } else lines.set(event.service, [...(lines.get(event.service) ?? []), event.line]);
  });
  return {
    first(service, state) {
      const at = firsts.get(`${service}:${state}`);
      assert.ok(at, `${service} never was ${state}`);
      return at;
    },
    lines: (service) => lines.get(service) ?? [],
  };
}

describe('poly up: dependency order, health, injected URLs', () => {
  // db is slow to listen; cache is quick; api needs both and proxies to db through DB_URL.
  const project = makeServicesProject(
    `[services.db]
path = "db"
run = "node server.js"
port = "auto"
health = "/health"

[services.cache]
path = "cache"
run = "node server.js"
port = "auto"

[services.api]
path = "api"
run = "node server.js"
port = "auto"
# start_period: the start window must not hang on how fast node starts on a loaded machine (at load 25,
# interval * retries = 0.6 s was too short for it).
health = { path = "/health", interval = "200ms", start_period = "60s" }
depends_on = ["db", "cache"]
env = { GREETING = "hi" }
`,
    {
      'db/server.js': nodeService({ delayMs: 600, handler: "(req, res) => res.end('db:' + req.url)" }),
      'cache/server.js': nodeService(),
      'api/server.js': nodeService({
        handler: `async (req, res) => {
  if (req.url === '/env') return res.end(JSON.stringify({ port: process.env.PORT, dbPort: process.env.DB_PORT, cacheUrl: process.env.CACHE_URL, greeting: process.env.GREETING }));
  const r = await fetch(process.env.DB_URL + '/from-api');
  res.end('api->' + (await r.text()));
}`,
      }),
    },
  );
  after(() => project.cleanup());

  it('starts each service only once its dependencies are healthy, independent ones in parallel', async () => {
    const run = await startServices({ cwd: project.root, services: [], ctx: testContext(process.env) });
    const timeline = record(run);
    try {
      const settled = await run.supervisor.settled();
      assert.deepEqual(settled, { ok: true });
      const status = Object.fromEntries(run.supervisor.status().map((s) => [s.name, s]));
      const db = status.db!;
      const cache = status.cache!;
      const api = status.api!;
      // Given db needs 600 ms to listen, When everything is up, Then api started after db and cache were healthy.
      assert.ok(
        api.startedAt! >= db.healthyAt!,
        `api started ${db.healthyAt! - api.startedAt!} ms before db was healthy`,
      );
      assert.ok(api.startedAt! >= cache.healthyAt!);
      // The service's own clock agrees: its first line is printed after db's health check passed.
      const apiStart = Number(/started at (\d+)/.exec(run.supervisor.recentLines('api')[0] ?? '')?.[1]);
      assert.ok(apiStart >= db.healthyAt!, 'api process ran before db was healthy');
      // cache did not wait for db: both started before db was healthy.
      assert.ok(cache.startedAt! < db.healthyAt!);
      assert.ok(db.healthyAt! - db.startedAt! >= 550, 'db was reported healthy before it listened');

      // Injected URLs reach the other service.
      const viaApi = await (await fetch(`${api.url}/x`)).text();
      assert.equal(viaApi, 'api->db:/from-api');
      const env = (await (await fetch(`${api.url}/env`)).json()) as Record<string, string>;
      assert.deepEqual(env, {
        port: String(api.port),
        dbPort: String(db.port),
        cacheUrl: `http://127.0.0.1:${cache.port}`,
        greeting: 'hi',
      });
    } finally {
      await run.stop();
    }
    // Stop order is the reverse: api is down before db and cache stop.
    assert.ok(timeline.first('api', 'stopped') <= timeline.first('db', 'stopping'));
    assert.deepEqual(processesWithToken(project.token), []);
  });

  it('naming a service starts it and what it depends on, and keeps "auto" ports across runs', async () => {
    const first = await startServices({ cwd: project.root, services: ['db'], ctx: testContext(process.env) });
    const names = first.supervisor.names();
    const port = first.supervisor.status()[0]?.port;
    await first.stop();
    assert.deepEqual(names, ['db']);

    const second = await startServices({
      cwd: project.root,
      services: ['api'],
      ctx: testContext(process.env),
    });
    try {
      assert.deepEqual(second.supervisor.names().sort(), ['api', 'cache', 'db']);
      assert.equal(second.supervisor.status().find((s) => s.name === 'db')?.port, port);
    } finally {
      await second.stop();
    }
  });
});
