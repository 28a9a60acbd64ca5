// biome-ignore-all lint/suspicious/noExplicitAny: the test reads untyped JSON (poly --json).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { lockDigest } from '../../../src/services/build/inputs.js';
import { dockerForTests } from '../../helpers/docker.js';
import { DEBIAN_SSL_TEST_IMAGE, debianSslTestImage } from '../../helpers/docker-images.js';
import { waitForHttp } from '../../helpers/http.js';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';
import { postgresTestImage } from '../../helpers/postgres-image.js';
import { holdTestSwarm, swarmState, type TestSwarm } from '../../helpers/swarm.js';
import {
  docker,
  GO_NODE_PYTHON,
  RUST_JAVA,
  scaffold,
  TEMPLATE_RUNTIMES,
  type TemplateService,
} from '../../helpers/template-images.js';
import {
  freePort,
  makeProject,
  runPoly,
  type TempProject,
  templatesPolyHome,
} from '../../helpers/templates-e2e.js';

/**
 * The "Done when", on a single-node Swarm of this machine's engine: a
 * project of all six templates (the plain variants, with the service names
 * the build tests use, so their build stages come from the engine's layer
 * cache when those ran first) plus fastapi `--with postgres` on a `use =
 * "postgres@16.<n>"` database. `poly deploy swarm` builds every image itself
 * (none exists under this project's names), deploys, and waits until every
 * service is healthy; each answers on its published port from the host, and
 * the database variant writes and reads a row through PostgreSQL on the
 * overlay network. `--rm` removes the stack.
 * No image registry is reachable: the database image is the PostgreSQL
 * stand-in built from the real binaries (test/helpers/postgres-image.ts),
 * tagged as the official image of a version of its own so no other test's
 * postgres:16 is shadowed, and no native PostgreSQL of that version exists,
 * so the build also proves an image build installs no database.
 * Swarm's VIPs and ingress mesh pass no traffic here (IPVS): dnsrr and host publishing.
 */
const { client, skip } = await dockerForTests();

const WITH_POSTGRES: TemplateService = { template: 'fastapi', service: 'pyitems', runtime: 'python' };
const PLAIN = [...GO_NODE_PYTHON, ...RUST_JAVA];

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

/** Gives `[services.<name>]` its own port (the templates' defaults may be taken on a shared machine). */
function setPort(toml: string, service: string, port: number): string {
  const start = toml.indexOf(`[services.${service}]\n`);
  assert.ok(start >= 0, `poly.toml has [services.${service}]`);
  const end = toml.indexOf('\n[', start + 1);
  const section = toml.slice(start, end < 0 ? undefined : end);
  assert.match(section, /^port = \d+$/m);
  return toml.replace(section, section.replace(/^port = \d+$/m, `port = ${port}`));
}

// Building six images cold is most of the time (Rust's crates); warm, the deploy takes minutes.
describe('poly deploy swarm: the six templates and a database, end to end', {
  skip,
  timeout: 75 * 60_000,
}, () => {
  const id = randomBytes(4).toString('hex');
  const stack = `polysix-${id}`;
  const dbVersion = `16.${Number.parseInt(id, 16) % 100000}`;
  const dbImage = `postgres:${dbVersion}`;
  const ports = new Map<string, number>();
  let mirror: Mirror;
  let project: TempProject;
  let swarm: TestSwarm | undefined;

  before(async () => {
    await debianSslTestImage(client);
    await docker(['tag', await postgresTestImage(client!), dbImage]);
    mirror = await startMirror();
    project = makeProject(
      `[project]\nname = "${stack}"\nbase_image = "${DEBIAN_SSL_TEST_IMAGE}"\n\n${TEMPLATE_RUNTIMES}`,
    );
    Object.assign(project.env, mirror.env);
    // The run's shared toolchain store (scripts/test.mjs), so the templates' toolchains unpack once per run.
    project.env.POLY_HOME = templatesPolyHome(project.env.POLY_HOME as string);
    for (const t of PLAIN) await scaffold(project, t);
    // The database first, so the variant reuses it; its install steps would need the database natively.
    // A start window: the first start runs initdb, which outlasts the default checks on a loaded machine,
    // and Swarm's kill of an unhealthy task ends postgres with exit 0, which on-failure does not restart.
    const toml = join(project.root, 'poly.toml');
    writeFileSync(
      toml,
      `${readFileSync(toml, 'utf8')}\n[services.db]\nuse = "postgres@${dbVersion}"\nhealth = { tcp = 5432, interval = "2s", start_period = "3m" }\n`,
    );
    await scaffold(project, WITH_POSTGRES, ['--with', 'postgres', '--no-install']);
    let text = readFileSync(toml, 'utf8');
    for (const t of [...PLAIN, WITH_POSTGRES]) {
      const port = await freePort();
      ports.set(t.service, port);
      text = setPort(text, t.service, port);
    }
    writeFileSync(toml, text);
    swarm = await holdTestSwarm();
    await swarm.join();
  });

  after(async () => {
    for (const s of await stackLabelled('service', stack).catch(() => [])) await docker(['service', 'rm', s]);
    for (const n of await stackLabelled('network', stack).catch(() => [])) await docker(['network', 'rm', n]);
    // The volume and the images free once the stack's containers are gone.
    const images = String(
      (await docker(['image', 'ls', '-q', '--filter', `label=dev.poly.project=${stack}`])).stdout,
    )
      .split('\n')
      .filter(Boolean);
    for (let i = 0; i < 60; i++) {
      const rm = await docker(['volume', 'rm', `${stack}_db-data`]);
      if (rm.exitCode === 0 || /no such volume/i.test(rm.stderr)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const image of [dbImage, ...new Set(images)]) {
      for (let i = 0; i < 40; i++) {
        const rm = await docker(['image', 'rm', '-f', image]);
        if (rm.exitCode === 0 || /no such image/i.test(rm.stderr)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    await swarm?.release();
    await mirror?.close();
    project?.cleanup();
  });

  it('builds every image, deploys, and every service converges healthy and answers on its published port', async () => {
    assert.equal(await swarmState(), 'active');
    const started = performance.now();
    const run = await runPoly(
      ['deploy', 'swarm', '--endpoint-mode', 'dnsrr', '--publish-mode', 'host', '--timeout', '5m', '--json'],
      project.root,
      project.env,
    );
    console.log(`poly deploy swarm (builds included): ${((performance.now() - started) / 1000).toFixed(0)}s`);
    assert.equal(run.exitCode, 0, String(run.all).slice(-6000));
    const result = JSON.parse(String(run.stdout));
    assert.equal(result.stack, stack);
    const byName = new Map<string, any>(result.services.map((s: any) => [s.service, s]));
    assert.deepEqual(
      [...byName.keys()].sort(),
      ['db', ...PLAIN.map((t) => t.service), WITH_POSTGRES.service].sort(),
    );
    for (const [service, port] of ports) {
      assert.deepEqual(byName.get(service).published, [`127.0.0.1:${port}`], service);
      const body = await waitForHttp(`http://127.0.0.1:${port}/api/hello`, 60_000);
      assert.match(body, /Hello from/, `${service} answered ${body}`);
    }
    // Every image poly built carries this project's poly.lock (the toolchains in it) and runs as 10001.
    const lock = lockDigest(project.root);
    assert.ok(lock, 'poly.lock was written');
    for (const t of [...PLAIN, WITH_POSTGRES]) {
      const image = `${stack}-${t.service}:latest`;
      const info = JSON.parse(String((await docker(['image', 'inspect', image])).stdout))[0];
      assert.equal(info.Config.Labels['dev.poly.lock'], lock, image);
      assert.equal(info.Config.User, '10001:10001', image);
    }
    const ps = await execa('docker', ['stack', 'ps', stack, '--format', '{{.Name}} {{.CurrentState}}']);
    for (const service of byName.keys())
      assert.match(ps.stdout, new RegExp(`^${stack}_${service}\\.1 Running`, 'm'));
  });

  it('the --with postgres service writes a row through the database on the Swarm network and reads it back', async () => {
    const url = `http://127.0.0.1:${ports.get(WITH_POSTGRES.service)}`;
    const name = `swarm ${id}`;
    const created = await fetch(`${url}/api/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
      signal: AbortSignal.timeout(20_000),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const item = (await created.json()) as { id: number; name: string };
    assert.equal(item.name, name);
    const read = await fetch(`${url}/api/items/${item.id}`, { signal: AbortSignal.timeout(20_000) });
    assert.equal(read.status, 200);
    assert.deepEqual(await read.json(), item);
  });

  it('--rm removes the stack', async () => {
    const run = await runPoly(['deploy', 'swarm', '--rm'], project.root, project.env);
    assert.equal(run.exitCode, 0, String(run.all));
    assert.deepEqual(await stackLabelled('service', stack), []);
    assert.deepEqual(await stackLabelled('network', stack), []);
  });
});
