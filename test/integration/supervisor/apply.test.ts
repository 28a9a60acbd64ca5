import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, describe, it } from 'node:test';
import { isPolyError } from '../../../src/core/errors.js';
import { requireManifest } from '../../../src/core/manifest/load.js';
import { planUp, startServices } from '../../../src/services/up/up.js';
import { testContext } from '../../helpers/context.js';
import { freePort } from '../../helpers/http.js';
import { makeServicesProject, nodeService, processesWithToken } from '../../helpers/services-project.js';

const envHandler = `(req, res) => res.end(JSON.stringify({ greeting: process.env.GREETING, workerUrl: process.env.WORKER_URL }))`;

describe('Supervisor.apply in one process', async () => {
  const dbPort = await freePort();
  const manifest = (extra = '', dbStop = '10s') => `[services.db]
path = "db"
run = "node server.js"
port = ${dbPort}
health = "/health"
stop_timeout = "${dbStop}"

[services.api]
path = "api"
run = "node server.js"
port = "auto"
health = "/health"
depends_on = ["db"]
${extra}`;
  const project = makeServicesProject(manifest(), {
    'db/server.js': nodeService({ delayMs: 300, handler: envHandler }),
    'api/server.js': nodeService({ handler: envHandler }),
    'worker/server.js': nodeService(),
  });
  const rewrite = (extra: string, dbStop?: string) =>
    project.write(
      'poly.toml',
      `[project]\nname = "t"\n\n[env]\nPOLY_TEST_TOKEN = "${project.token}"\n\n${manifest(extra, dbStop)}`,
    );
  after(() => project.cleanup());

  it('plans over the ports its own services hold, and refuses only foreign holders', async () => {
    const run = await startServices({ cwd: project.root, services: [], ctx: testContext(process.env) });
    let foreign: Server | undefined;
    try {
      assert.deepEqual(await run.supervisor.settled(), { ok: true });
      const held = run.supervisor.status().flatMap((s) => (s.port ? [s.port] : []));
      // Without the held ports, db's own fixed port reads as taken, as it does for a fresh start.
      await assert.rejects(
        planUp(requireManifest(project.root), [], { ctx: testContext(process.env) }),
        (err: unknown) => {
          return isPolyError(err) && err.code === 'PORT_IN_USE' && err.message.includes(String(dbPort));
        },
      );
      const plan = await planUp(requireManifest(project.root), [], {
        ctx: testContext(process.env),
        running: { ports: held },
      });
      assert.equal(plan.ports.db, dbPort);
      assert.equal(plan.ports.api, run.supervisor.status()[1]?.port, 'api keeps its "auto" port');

      foreign = await listen();
      const port = (foreign.address() as { port: number }).port;
      rewrite(`\n[services.worker]\npath = "worker"\nrun = "node server.js"\nport = ${port}\n`);
      await assert.rejects(
        planUp(requireManifest(project.root), [], {
          ctx: testContext(process.env),
          running: { ports: held },
        }),
        (err: unknown) =>
          isPolyError(err) &&
          err.code === 'PORT_IN_USE' &&
          err.message.startsWith(`service worker: port ${port} is already in use by pid ${process.pid} `),
      );
    } finally {
      foreign?.close();
      rewrite('');
      await run.stop();
    }
    assert.deepEqual(processesWithToken(project.token), []);
  });

  it('restarts a dependency while its dependants wait, and gives kept services the new env for their next start', async () => {
    const run = await startServices({ cwd: project.root, services: [], ctx: testContext(process.env) });
    try {
      assert.deepEqual(await run.supervisor.settled(), { ok: true });
      const ports = () => run.supervisor.status().flatMap((s) => (s.port ? [s.port] : []));
      const pid = (name: string) => run.supervisor.status().find((s) => s.name === name)?.pid;
      const dbPid = pid('db');

      // Given a new worker depending on db, and db's own config changed,
      const worker = `\n[services.worker]\npath = "worker"\nrun = "node server.js"\nport = "auto"\nhealth = "/health"\ndepends_on = ["db"]\n`;
      rewrite(worker, '5s');
      const first = await planUp(requireManifest(project.root), [], {
        ctx: testContext(process.env),
        running: { ports: ports() },
      });
      // When it is applied,
      const changes = await run.supervisor.apply(first);
      assert.deepEqual(
        changes.map((c) => [c.name, c.action]),
        [
          ['db', 'restarted'],
          ['api', 'kept'],
          ['worker', 'started'],
        ],
      );
      // Then the worker waits for the new db (slow to listen) and everything ends healthy.
      assert.equal(run.supervisor.status().find((s) => s.name === 'worker')?.state, 'waiting');
      assert.deepEqual(await run.supervisor.settled(), { ok: true });
      const status = Object.fromEntries(run.supervisor.status().map((s) => [s.name, s]));
      assert.ok(
        status.worker!.startedAt! >= status.db!.healthyAt!,
        'the worker started before the new db was healthy',
      );
      assert.notEqual(status.db?.pid, dbPid);

      // api kept running without WORKER_URL; its next start has it.
      const api = status.api!;
      const before = (await (await fetch(`${api.url}/`)).json()) as { workerUrl?: string };
      assert.equal(before.workerUrl, undefined);
      await run.supervisor.restart('api');
      const restarted = (await (await fetch(`${api.url}/`)).json()) as { workerUrl?: string };
      assert.equal(restarted.workerUrl, status.worker?.url);

      // Applying the same plan again changes nothing.
      const again = await planUp(requireManifest(project.root), [], {
        ctx: testContext(process.env),
        running: { ports: ports() },
      });
      assert.deepEqual(
        (await run.supervisor.apply(again)).map((c) => c.action),
        ['kept', 'kept', 'kept'],
      );
    } finally {
      rewrite('');
      await run.stop();
    }
    assert.deepEqual(processesWithToken(project.token), []);
  });
});

function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
