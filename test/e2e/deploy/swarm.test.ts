// biome-ignore-all lint/suspicious/noExplicitAny: the test reads untyped JSON (poly --json, docker inspect).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { buildImage } from '../../../src/core/docker/images.js';
import { dockerForTests } from '../../helpers/docker.js';
import { BUSYBOX_TEST_IMAGE, busyboxTestImage } from '../../helpers/docker-images.js';
import { runPoly, tempHome } from '../../helpers/poly-cli.js';
import { privateEngineUnavailable, startPrivateEngine } from '../../helpers/private-engine.js';
import { holdTestSwarm, swarmState, type TestSwarm } from '../../helpers/swarm.js';

/**
 * `poly deploy swarm` on a real single-node Swarm made by this test on the
 * shared engine (`docker swarm init --advertise-addr 127.0.0.1`, left again
 * after the run unless the engine was already a Swarm; test/helpers/swarm.ts),
 * held through test/helpers/swarm.ts so the six-templates deploy test never
 * runs on it at the same time.
 * Swarm's virtual IPs and ingress mesh pass no traffic on these machines
 * (IPVS), so the deploys use --endpoint-mode dnsrr --publish-mode host.
 * No registry is reachable: every image is built here from poly-test/busybox.
 * The database is `use = "postgres@16.<random>"`, which export maps to the
 * official image name postgres:16.<random>; that image cannot be pulled, so
 * a busybox stand-in that listens on 5432 is tagged with that name (a
 * version of its own, so no other test's postgres:16 is shadowed).
 */
const { client, skip } = await dockerForTests();
const noPrivateEngine = privateEngineUnavailable();
if (noPrivateEngine && process.env.CI === 'true') throw new Error(noPrivateEngine);
if (noPrivateEngine) console.log(`# skipping the no-Swarm refusal: ${noPrivateEngine}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function tcpAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stackLabelled(kind: 'service' | 'network', stack: string): Promise<string[]> {
  const { stdout } = await execa('docker', [
    kind,
    'ls',
    '--quiet',
    '--filter',
    `label=com.docker.stack.namespace=${stack}`,
  ]);
  return stdout.split('\n').filter(Boolean);
}

// The time covers waiting for the other Swarm test to hand the Swarm over.
describe('poly deploy swarm on a single-node Swarm', { skip, timeout: 60 * 60_000 }, () => {
  const id = randomBytes(4).toString('hex');
  const stack = `polyswarm-${id}`;
  const dbVersion = `16.${Number.parseInt(id, 16) % 100000}`;
  const dbImage = `postgres:${dbVersion}`;
  const apiImage = `poly-test/swarm-api-${id}:1`;
  const home = tempHome('poly-swarm-');
  const project = join(home.dir, stack);
  const dockerConfig = join(home.dir, 'docker-config');
  const env = { ...home.env, DOCKER_CONFIG: dockerConfig };
  let swarm: TestSwarm | undefined;
  let apiPort = 0;
  let webPort = 0;

  before(async () => {
    swarm = await holdTestSwarm();
    await busyboxTestImage(client);
    const ctx = join(home.dir, 'images');
    mkdirSync(join(ctx, 'api', 'www', 'cgi-bin'), { recursive: true });
    writeFileSync(join(ctx, 'api', 'www', 'health'), 'ok\n');
    writeFileSync(
      join(ctx, 'api', 'www', 'cgi-bin', 'env'),
      "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\nenv\n",
      {
        mode: 0o755,
      },
    );
    // The port comes from PORT, as poly's environment gives every service its own.
    writeFileSync(
      join(ctx, 'api', 'Dockerfile'),
      `FROM ${BUSYBOX_TEST_IMAGE}\nCOPY www /www\nCMD ["/bin/sh", "-c", "exec httpd -f -p $PORT -h /www"]\n`,
    );
    mkdirSync(join(ctx, 'db'));
    // -ll: keeps listening, one connection after another, as a database would.
    writeFileSync(
      join(ctx, 'db', 'Dockerfile'),
      `FROM ${BUSYBOX_TEST_IMAGE}\nCMD ["nc", "-ll", "-p", "5432", "-e", "true"]\n`,
    );
    await buildImage(client!, { dockerfile: join(ctx, 'api', 'Dockerfile'), tag: apiImage });
    await buildImage(client!, { dockerfile: join(ctx, 'db', 'Dockerfile'), tag: dbImage });
    apiPort = await freePort();
    webPort = await freePort();
    mkdirSync(project);
    writeFileSync(
      join(project, 'poly.toml'),
      `[project]
name = "${stack}"

[services.db]
use = "postgres@${dbVersion}"
health = { tcp = 5432, interval = "1s", retries = 30 }

[services.api]
image = "${apiImage}"
port = ${apiPort}
health = { path = "/health", interval = "1s", retries = 30 }
depends_on = ["db"]

[services.web]
image = "${apiImage}"
port = ${webPort}
# Healthy only once api answers by its name on the overlay network (DNS round robin).
health = { cmd = "wget -q -O /dev/null http://api:${apiPort}/health", interval = "1s", retries = 30 }
depends_on = ["api"]
`,
    );
    await execa(
      'docker',
      ['context', 'create', `poly-${id}`, '--docker', 'host=unix:///var/run/docker.sock'],
      {
        env: { DOCKER_CONFIG: dockerConfig },
      },
    );
  });

  after(async () => {
    for (const s of await stackLabelled('service', stack).catch(() => []))
      await execa('docker', ['service', 'rm', s], { reject: false });
    for (const n of await stackLabelled('network', stack).catch(() => []))
      await execa('docker', ['network', 'rm', n], { reject: false });
    // The volume frees once the stack's containers are gone.
    for (const volume of [`${stack}_db-data`, `${stack}-cli_db-data`]) {
      for (let i = 0; i < 60; i++) {
        const rm = await execa('docker', ['volume', 'rm', volume], { reject: false });
        if (rm.exitCode === 0 || /no such volume/i.test(rm.stderr)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    // An image stays in use until the stack's last stopped container is removed.
    for (const image of [apiImage, dbImage]) {
      for (let i = 0; i < 40; i++) {
        const rm = await execa('docker', ['image', 'rm', image], { reject: false });
        if (rm.exitCode === 0 || /no such image/i.test(rm.stderr)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    await swarm?.release();
    home.cleanup();
  });

  // On an engine of its own: the shared one may already be this run's Swarm, and is never left mid-run.
  it('without a Swarm, refuses and says `docker swarm init`', { skip: noPrivateEngine }, async () => {
    const engine = await startPrivateEngine();
    try {
      const run = await runPoly(['deploy', 'swarm'], {
        cwd: project,
        env: { ...env, DOCKER_HOST: engine.host },
      });
      assert.equal(run.exitCode, 1, run.stderr);
      assert.match(run.stderr, /is not part of a Swarm/);
      assert.match(run.stderr, /docker swarm init/);
    } finally {
      await engine.stop();
    }
    // And the private engine left the shared one whole: a container on its default bridge still starts.
    const run = await execa('docker', ['run', '--rm', BUSYBOX_TEST_IMAGE, 'true'], { reject: false });
    assert.equal(run.exitCode, 0, run.stderr);
  });

  it('makes a single-node Swarm for the rest of the test', async () => {
    await swarm?.join();
    assert.equal(await swarmState(), 'active');
  });

  it('the --for swarm compose file is one `docker stack config` accepts', async () => {
    const file = join(home.dir, 'stack.yaml');
    const run = await runPoly(
      [
        'export',
        'compose',
        '--for',
        'swarm',
        '--endpoint-mode',
        'dnsrr',
        '--publish-mode',
        'host',
        '-o',
        file,
      ],
      { cwd: project, env },
    );
    assert.equal(run.exitCode, 0, run.stderr);
    const config = await execa('docker', ['stack', 'config', '--compose-file', file], { reject: false });
    assert.equal(config.exitCode, 0, config.stderr);
    // And the plain compose file is not (name, host_ip, depends_on conditions): hence the variant.
    const plain = join(home.dir, 'compose.yaml');
    assert.equal((await runPoly(['export', 'compose', '-o', plain], { cwd: project, env })).exitCode, 0);
    const refused = await execa('docker', ['stack', 'config', '--compose-file', plain], { reject: false });
    assert.notEqual(refused.exitCode, 0);
    // Debian's docker CLI 20.10 (which has no `stack config`) deploys it for real; removed again at once.
    const cli = '/usr/bin/docker';
    const legacy = await execa(cli, ['version', '--format', '{{.Client.Version}}'], { reject: false });
    if (legacy.exitCode !== 0) return;
    const cliStack = `${stack}-cli`;
    const deploy = await execa(cli, ['stack', 'deploy', '--compose-file', file, cliStack], { reject: false });
    try {
      assert.equal(deploy.exitCode, 0, deploy.stderr);
      assert.equal((await stackLabelled('service', cliStack)).length, 3);
    } finally {
      await execa(cli, ['stack', 'rm', cliStack], { reject: false });
      for (let i = 0; i < 60 && (await stackLabelled('network', cliStack)).length > 0; i++)
        await new Promise((r) => setTimeout(r, 500));
    }
  });

  it('refuses an unknown service before touching the Swarm', async () => {
    const run = await runPoly(['deploy', 'swarm', 'apii', '--stack', stack], { cwd: project, env });
    assert.equal(run.exitCode, 2, run.stderr);
    assert.match(run.stderr, /has no service "apii"\. Did you mean "api"\?/);
    assert.deepEqual(await stackLabelled('service', stack), []);
  });

  it('deploys every service through a docker context; all converge healthy and answer on their published ports', async () => {
    const run = await runPoly(
      [
        'deploy',
        'swarm',
        '--context',
        `poly-${id}`,
        '--endpoint-mode',
        'dnsrr',
        '--publish-mode',
        'host',
        '--json',
      ],
      { cwd: project, env },
    );
    assert.equal(run.exitCode, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.stack, stack);
    const byName = new Map<string, any>(result.services.map((s: any) => [s.service, s]));
    assert.deepEqual([...byName.keys()].sort(), ['api', 'db', 'web']);
    assert.deepEqual(byName.get('api').published, [`127.0.0.1:${apiPort}`]);
    assert.deepEqual(byName.get('web').published, [`127.0.0.1:${webPort}`]);
    const health = await fetch(`http://127.0.0.1:${apiPort}/health`);
    assert.equal(health.status, 200);
    const apiEnv = await (await fetch(`http://127.0.0.1:${apiPort}/cgi-bin/env`)).text();
    assert.match(apiEnv, new RegExp(`^DB_URL=postgres://dev:dev@db:5432/${stack}$`, 'm'));
    assert.equal((await fetch(`http://127.0.0.1:${webPort}/health`)).status, 200);
    // The database publishes nothing (poly.toml fixes no port), but it runs: the stack sees its tasks.
    assert.deepEqual(byName.get('db').published, []);
    const ps = await execa('docker', ['stack', 'ps', stack, '--format', '{{.Name}} {{.CurrentState}}']);
    assert.match(ps.stdout, new RegExp(`^${stack}_db\\.1 Running`, 'm'));
    assert.equal(await tcpAnswers('127.0.0.1', apiPort), true);
  });

  it('deploying web again updates it and what it depends on in place, and converges again', async () => {
    const run = await runPoly(
      [
        'deploy',
        'swarm',
        'web',
        '--endpoint-mode',
        'dnsrr',
        '--publish-mode',
        'host',
        '--context',
        `poly-${id}`,
      ],
      { cwd: project, env },
    );
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`api \\(1x\\): 127\\.0\\.0\\.1:${apiPort}`));
    assert.match(run.stdout, /^ {2}db \(1x\): not published$/m);
    assert.equal((await stackLabelled('service', stack)).length, 3);
  });

  // Measured here: Swarm fails an unhealthy task after about 15 s (it stays "starting" until then).
  it('a service that never turns healthy: a timeout naming it and its last task error, and nothing left behind', async () => {
    const bad = join(home.dir, 'bad');
    const badStack = `${stack}-bad`;
    mkdirSync(bad);
    writeFileSync(
      join(bad, 'poly.toml'),
      `[project]\nname = "${badStack}"\n\n[services.ok]\nimage = "${apiImage}"\nport = ${await freePort()}\nhealth = { path = "/health", interval = "1s" }\n\n` +
        `[services.sick]\nimage = "${apiImage}"\nport = ${await freePort()}\nhealth = { cmd = "exit 1", interval = "1s", retries = 1 }\n`,
    );
    const run = await runPoly(
      ['deploy', 'swarm', '--endpoint-mode', 'dnsrr', '--publish-mode', 'host', '--timeout', '45s'],
      { cwd: bad, env },
    );
    assert.equal(run.exitCode, 1, run.stderr);
    assert.match(
      run.stderr,
      /not every service converged healthy within 45s: sick: 0\/1 running, last task error: failed: task: non-zero exit \(137\): dockerexec: unhealthy container/,
    );
    assert.doesNotMatch(run.stderr, /\bok: /);
    assert.deepEqual(await stackLabelled('service', badStack), []);
    assert.deepEqual(await stackLabelled('network', badStack), []);
  });

  it('--rm removes the stack', async () => {
    const run = await runPoly(['deploy', 'swarm', '--rm', '--context', `poly-${id}`], { cwd: project, env });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(await stackLabelled('service', stack), []);
    assert.deepEqual(await stackLabelled('network', stack), []);
  });
});

/**
 * The test Swarm's hand-back keeps every other test's bridge networks working.
 * A `docker swarm leave` breaks name resolution on the bridge networks that
 * exist at that moment (moby/moby#45144): compose-up's service once lost its
 * database's name that way when the Swarm tests left mid-run. So under the run
 * harness a release does not leave; scripts/test.mjs leaves after the run.
 * Given two containers resolving each other by name on a bridge network, when
 * a test holds the Swarm, initialises it and releases it, then they still do.
 */
async function resolves(container: string, name: string): Promise<boolean> {
  const run = await execa('docker', ['exec', container, 'nslookup', name, '127.0.0.11'], { reject: false });
  return run.exitCode === 0;
}

describe('the test Swarm released mid-run', { skip, timeout: 45 * 60_000 }, () => {
  const id = randomBytes(4).toString('hex');
  const network = `poly-swarm-dns-${id}`;
  const [a, b] = [`poly-swarm-dns-a-${id}`, `poly-swarm-dns-b-${id}`];
  // Run on its own, the file plays the harness: its own run folder, and the leave at its end.
  const ownRun = process.env.POLY_TEST_SHARED_HOME
    ? undefined
    : mkdtempSync(join(tmpdir(), 'poly-swarm-run-'));

  before(async () => {
    if (ownRun) process.env.POLY_TEST_SHARED_HOME = ownRun;
    await busyboxTestImage(client);
    await execa('docker', ['network', 'create', network]);
    for (const name of [a, b])
      await execa('docker', [
        'run',
        '-d',
        '--name',
        name,
        '--network',
        network,
        '--label',
        'dev.poly.test=swarm-release',
        BUSYBOX_TEST_IMAGE,
        // Alive until after() removes them: holdTestSwarm may wait for another file's Swarm
        // (the six-template deploy holds it for ten minutes).
        'sleep',
        '86400',
      ]);
  });

  after(async () => {
    await execa('docker', ['rm', '-f', a, b], { reject: false });
    await execa('docker', ['network', 'rm', network], { reject: false });
    if (ownRun) {
      // The marker the release left: this file initialised the Swarm (test/helpers/swarm.ts).
      if (existsSync(join(ownRun, 'swarm-initialised-by-run')))
        await execa('docker', ['swarm', 'leave', '--force'], { reject: false });
      delete process.env.POLY_TEST_SHARED_HOME;
      rmSync(ownRun, { recursive: true, force: true });
    }
  });

  it('names still resolve on a bridge network after another test held and released the Swarm', async () => {
    assert.ok(await resolves(b, a), 'resolves before the Swarm');
    const swarm = await holdTestSwarm();
    try {
      await swarm.join();
      assert.equal(await swarmState(), 'active');
    } finally {
      await swarm.release();
    }
    assert.ok(await resolves(b, a), `${b} no longer resolves ${a} after the release`);
  });
});
