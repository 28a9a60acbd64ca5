import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../helpers/http.js';
import { polyIn } from '../helpers/poly-cli.js';
import {
  makeServicesProject,
  nodeService,
  processesWithToken,
  type ServicesProject,
} from '../helpers/services-project.js';

const poly = (project: ServicesProject, ...args: string[]) => polyIn(project.env, project.root, args);

/** The real CLI, as a separate process (another terminal, as far as poly can tell). */
interface UpJson {
  supervisorPid: number;
  services: Array<{ name: string; state: string; pid: number; url: string; action?: string }>;
  removed: string[];
}

/** `poly up -d --json`, which must succeed. */
async function upDetached(project: ServicesProject, ...names: string[]): Promise<UpJson> {
  const up = await poly(project, 'up', '-d', '--json', ...names);
  assert.equal(up.code, 0, up.stderr);
  return JSON.parse(up.stdout) as UpJson;
}

const by = (result: UpJson) => Object.fromEntries(result.services.map((s) => [s.name, s]));
const pids = (result: UpJson) => Object.fromEntries(result.services.map((s) => [s.name, s.pid]));
const actions = (result: UpJson) => Object.fromEntries(result.services.map((s) => [s.name, s.action]));
const alive = (project: ServicesProject, pid: number) =>
  processesWithToken(project.token).some((p) => p.pid === pid);

function manifest(o: { dbPort: number; greeting: string; worker?: string }): string {
  return `[services.db]
path = "db"
run = "node server.js"
port = ${o.dbPort}
health = "/health"

[services.api]
path = "api"
run = "node server.js"
port = "auto"
health = "/health"
depends_on = ["db"]
env = { GREETING = "${o.greeting}" }
${o.worker ?? ''}`;
}

const WORKER = `
[services.worker]
path = "worker"
run = "node server.js"
port = "auto"
health = "/health"
depends_on = ["db"]
`;

const files = {
  'db/server.js': nodeService({ handler: "(req, res) => res.end('db:' + req.url)" }),
  'api/server.js': nodeService({
    handler: `(req, res) => res.end(JSON.stringify({ greeting: process.env.GREETING, workerUrl: process.env.WORKER_URL }))`,
  }),
  'worker/server.js': nodeService({
    handler:
      "async (req, res) => res.end('worker->' + (await (await fetch(process.env.DB_URL + '/w')).text()))",
  }),
};

describe('poly up -d while the supervisor runs applies poly.toml like docker compose up -d', () => {
  let project: ServicesProject;
  let dbPort: number;
  before(async () => {
    dbPort = await freePort();
    project = makeServicesProject(manifest({ dbPort, greeting: 'hi' }), files);
  });
  const write = (o: { greeting: string; worker?: string }) =>
    project.write(
      'poly.toml',
      `[project]\nname = "t"\n\n[env]\nPOLY_TEST_TOKEN = "${project.token}"\n\n${manifest({ dbPort, ...o })}`,
    );
  after(async () => {
    // A failed step may leave poly.toml broken, and poly down needs it to find the project.
    write({ greeting: 'hi' });
    await poly(project, 'down');
    project.cleanup();
  });

  it('keeps unchanged services, restarts changed ones, starts new ones and stops removed ones', async () => {
    const first = await upDetached(project);
    assert.deepEqual(actions(first), { db: 'started', api: 'started' });

    // Given nothing changed, When poly up -d runs again, Then it succeeds and every process is the same.
    const again = await upDetached(project);
    assert.equal(again.supervisorPid, first.supervisorPid);
    assert.deepEqual(actions(again), { db: 'kept', api: 'kept' });
    assert.deepEqual(pids(again), pids(first));
    assert.deepEqual(again.removed, []);
    // db holds its fixed port itself: that is no conflict.
    assert.equal(by(again).db?.url, `http://127.0.0.1:${dbPort}`);

    // The table says what happened, in words.
    const text = await poly(project, 'up', '-d');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^db\s+kept$/m);
    assert.match(text.stdout, /^api\s+kept$/m);

    // The foreground refuses, pointing at what works.
    const foreground = await poly(project, 'up', '--no-tui');
    assert.equal(foreground.code, 1);
    assert.match(foreground.stderr, /already running in the background \(supervisor pid \d+\)/);
    assert.match(foreground.stderr, /`poly up -d` applies changes/);
    assert.match(foreground.stderr, /`poly logs -f`/);

    // When api's env changes and a worker is added,
    write({ greeting: 'hello', worker: WORKER });
    const changed = await poly(project, 'up', '-d');
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /^db\s+kept$/m);
    // WORKER_URL and friends are new in every env: alone they restart nothing.
    assert.match(changed.stdout, /^api\s+restarted\s+env GREETING changed$/m);
    assert.match(changed.stdout, /^worker\s+started\s+new$/m);
    const applied = await upDetached(project);
    assert.deepEqual(actions(applied), { db: 'kept', api: 'kept', worker: 'kept' });
    const now = by(applied);
    // Then db runs on untouched, api is a new process with the new env, the worker is up and reaches db.
    assert.equal(now.db?.pid, first.services[0]?.pid);
    assert.notEqual(now.api?.pid, by(first).api?.pid);
    assert.equal(alive(project, by(first).api!.pid), false, 'the old api process is gone');
    assert.equal(now.worker?.state, 'healthy');
    assert.deepEqual(JSON.parse(await (await fetch(`${now.api?.url}/`)).text()), {
      greeting: 'hello',
      workerUrl: now.worker?.url,
    });
    assert.equal(await (await fetch(`${now.worker?.url}/x`)).text(), 'worker->db:/w');

    // Naming a service considers it and its dependencies only: api's change waits for a plain `poly up -d`.
    write({ greeting: 'named', worker: WORKER });
    const named = await upDetached(project, 'worker');
    assert.deepEqual(actions(named), { db: 'kept', api: undefined, worker: 'kept' });
    assert.deepEqual(pids(named), pids(applied));

    // When the worker is removed from poly.toml, Then it is stopped and gone; api restarts for its own change.
    write({ greeting: 'named' });
    const removed = await upDetached(project);
    assert.deepEqual(removed.removed, ['worker']);
    assert.deepEqual(actions(removed), { db: 'kept', api: 'restarted' });
    assert.equal(by(removed).db?.pid, now.db?.pid);
    assert.equal(alive(project, now.worker!.pid), false, 'no worker process is left');
    const ps = await poly(project, 'ps', '--json');
    assert.deepEqual(
      (JSON.parse(ps.stdout) as { services: Array<{ name: string }> }).services.map((s) => s.name),
      ['db', 'api'],
    );
    const settledPids = pids(removed);

    // A port some other program holds is a conflict, reported here, and nothing changes.
    const foreign = await listen();
    try {
      const port = (foreign.address() as { port: number }).port;
      write({ greeting: 'named', worker: WORKER.replace('port = "auto"', `port = ${port}`) });
      const taken = await poly(project, 'up', '-d');
      assert.equal(taken.code, 1);
      assert.match(
        taken.stderr,
        new RegExp(`service worker: port ${port} is already in use by pid ${process.pid}`),
      );
    } finally {
      foreign.close();
    }
    assert.deepEqual(pids(await upDetachedPs(project)), settledPids);

    // A syntax error is reported with its line, and the services keep running.
    project.write(
      'poly.toml',
      `[project]\nname = "t"\n\n[env]\nPOLY_TEST_TOKEN = "${project.token}"\n\n[services.db\npath = "db"\n`,
    );
    const broken = await poly(project, 'up', '-d');
    assert.equal(broken.code, 2, broken.stderr);
    assert.match(broken.stderr, /poly\.toml:7:\d+: table header is missing its closing "\]"/);
    for (const pid of Object.values(settledPids)) assert.ok(alive(project, pid), `pid ${pid} still runs`);
    // (poly ps needs a readable poly.toml to find the project.)
    write({ greeting: 'named' });
    assert.deepEqual(pids(await upDetachedPs(project)), settledPids);

    // poly down leaves nothing behind.
    const down = await poly(project, 'down');
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(processesWithToken(project.token), []);
  });
});

/** What `poly ps --json` lists, in the shape of `poly up -d --json`. */
async function upDetachedPs(project: ServicesProject): Promise<UpJson> {
  const ps = await poly(project, 'ps', '--json');
  assert.equal(ps.code, 0, ps.stderr);
  return { ...(JSON.parse(ps.stdout) as UpJson), removed: [] };
}

function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
