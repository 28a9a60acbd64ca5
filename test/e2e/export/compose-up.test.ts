// biome-ignore-all lint/suspicious/noExplicitAny: the test reads untyped JSON (docker inspect, compose ps).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { compose, composeForTests } from '../../helpers/compose.js';
import { dockerForTests } from '../../helpers/docker.js';
import { DEBIAN_SSL_TEST_IMAGE, debianSslTestImage } from '../../helpers/docker-images.js';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';
import { POSTGRES_TEST_IMAGE, postgresTestImage } from '../../helpers/postgres-image.js';
import {
  freePort,
  makeProject,
  runPoly,
  type TempProject,
  templatesPolyHome,
} from '../../helpers/templates-e2e.js';

/**
 * `docker compose up` of the plain file `poly export compose` writes, with the
 * real Docker Compose v2 (built by scripts/setup-machine.sh) on the real engine:
 * the go-http template with its PostgreSQL variant, its image built by `poly
 * build` with the Go toolchain from the test mirror, and `use = "postgres@16"`,
 * exported as the stand-in for the official image (test/helpers/postgres-image.ts:
 * no image registry is reachable here) through POLY_POSTGRES_IMAGE.
 * The service migrates its table at start and exits when the database does not
 * answer, so it only comes up when compose waits for the database's health.
 */
const { client, skip: noDocker } = await dockerForTests();
const { skip: noCompose } = noDocker ? { skip: noDocker } : await composeForTests();

async function inspect(container: string): Promise<any> {
  const { stdout } = await execa('docker', ['inspect', container]);
  return JSON.parse(stdout)[0];
}

describe('docker compose up of `poly export compose`', { skip: noCompose, timeout: 30 * 60_000 }, () => {
  const id = randomBytes(4).toString('hex');
  const name = `pcx-${id}`;
  const file = () => join(project.root, 'compose.yaml');
  let mirror: Mirror;
  let project: TempProject;
  let port = 0;
  const events: any[] = [];

  before(async () => {
    await Promise.all([debianSslTestImage(client), postgresTestImage(client!)]);
    mirror = await startMirror();
    project = makeProject(`[project]\nname = "${name}"\nbase_image = "${DEBIAN_SSL_TEST_IMAGE}"\n`);
    Object.assign(project.env, mirror.env, {
      POLY_HOME: templatesPolyHome(project.env.POLY_HOME as string),
      POLY_POSTGRES_IMAGE: POSTGRES_TEST_IMAGE,
    });
    port = await freePort();
    const created = await runPoly(
      [
        'new',
        'go-http',
        'gateway',
        '--with',
        'postgres',
        '--port',
        String(port),
        '--set',
        'module=github.com/acme/gateway',
      ],
      project.root,
      project.env,
    );
    assert.equal(created.exitCode, 0, created.all);
  });

  after(async () => {
    if (project) {
      await compose(file(), name, ['down', '-v', '--remove-orphans']);
      const images = await execa(
        'docker',
        ['image', 'ls', '-q', '--filter', `label=dev.poly.project=${name}`],
        {
          reject: false,
        },
      );
      const ids = String(images.stdout).split('\n').filter(Boolean);
      if (ids.length) await execa('docker', ['rmi', '-f', ...new Set(ids)], { reject: false });
    }
    await mirror?.close();
    project?.cleanup();
  });

  it('poly build makes the service image, and poly export compose writes a file compose reads back', async () => {
    const built = await runPoly(['build', 'gateway'], project.root, project.env);
    assert.equal(built.exitCode, 0, String(built.all).slice(-4000));
    const exported = await runPoly(['export', 'compose', '-o', 'compose.yaml'], project.root, project.env);
    assert.equal(exported.exitCode, 0, exported.all);
    const config = await compose(file(), name, ['config', '--format', 'json']);
    assert.equal(config.exitCode, 0, config.all);
    const services = JSON.parse(config.stdout).services;
    assert.equal(services.db.image, POSTGRES_TEST_IMAGE);
    assert.equal(services.gateway.image, `${name}-gateway:latest`);
    assert.deepEqual(services.gateway.depends_on.db.condition, 'service_healthy');
  });

  it('up -d --wait: every service healthy, the service answers on 127.0.0.1 and reaches the db by its name', async () => {
    // The engine's own event stream, started first: the order in which compose started things.
    const watch = execa('docker', [
      'events',
      '--format',
      '{{json .}}',
      '--filter',
      'type=container',
      '--filter',
      `label=com.docker.compose.project=${name}`,
    ]);
    watch.stdout?.on('data', (chunk: Buffer) => {
      events.push(
        ...chunk
          .toString()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
      );
    });
    const up = await compose(file(), name, ['up', '-d', '--wait', '--wait-timeout', '240']);
    watch.kill();
    await watch.catch(() => undefined);
    assert.equal(up.exitCode, 0, `${up.all}\n${(await compose(file(), name, ['logs'])).all}`);
    const ps = (await compose(file(), name, ['ps', '--format', 'json'])).stdout;
    // compose prints one JSON object per line.
    const states = ps
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .map((s: any) => [s.Service, s.Health]);
    assert.deepEqual(states.sort(), [
      ['db', 'healthy'],
      ['gateway', 'healthy'],
    ]);

    // Published on loopback only, on the port poly.toml fixes.
    const gateway = await inspect(`${name}-gateway-1`);
    assert.deepEqual(gateway.HostConfig.PortBindings[`${port}/tcp`], [
      { HostIp: '127.0.0.1', HostPort: String(port) },
    ]);
    assert.ok(
      gateway.Config.Env.includes(`DATABASE_URL=postgres://dev:dev@db:5432/${name}`),
      gateway.Config.Env.join('\n'),
    );
    const url = `http://127.0.0.1:${port}`;
    assert.equal((await fetch(`${url}/health`)).status, 200);
    // A row through DATABASE_URL: the service reached PostgreSQL by its name on the compose network.
    const created = await fetch(`${url}/api/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `from compose ${id}` }),
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const item = (await created.json()) as { id: number };
    const read = await fetch(`${url}/api/items/${item.id}`, { signal: AbortSignal.timeout(10_000) });
    assert.deepEqual(await read.json(), { id: item.id, name: `from compose ${id}` });
  });

  it('depends_on service_healthy: the service started once, after the db turned healthy', () => {
    const seen = events.map((e) => `${e.Actor.Attributes['com.docker.compose.service']} ${e.status}`);
    const dbHealthy = seen.indexOf('db health_status: healthy');
    const gatewayStarts = seen.flatMap((e, i) => (e === 'gateway start' ? [i] : []));
    assert.ok(dbHealthy >= 0, seen.join('\n'));
    // One start: it never exited (it does without its database) and was restarted.
    assert.equal(gatewayStarts.length, 1, seen.join('\n'));
    assert.ok(seen.indexOf('db start') < dbHealthy && dbHealthy < gatewayStarts[0]!, seen.join('\n'));
  });

  it('down -v removes the containers, the network and the database volume', async () => {
    const down = await compose(file(), name, ['down', '-v']);
    assert.equal(down.exitCode, 0, down.all);
    const left = await execa('docker', [
      'ps',
      '-a',
      '-q',
      '--filter',
      `label=com.docker.compose.project=${name}`,
    ]);
    assert.equal(left.stdout.trim(), '');
    const networks = await execa('docker', ['network', 'ls', '-q', '--filter', `name=${name}`]);
    assert.equal(networks.stdout.trim(), '');
    const volumes = await execa('docker', ['volume', 'ls', '-q', '--filter', `name=${name}`]);
    assert.equal(volumes.stdout.trim(), '');
    assert.match(readFileSync(file(), 'utf8'), /^name: /m);
  });
});
