import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { requireManifest } from '../../../src/core/manifest/load.js';
import { planUp } from '../../../src/services/up/up.js';
import { testContext } from '../../helpers/context.js';

const MANIFEST = `[project]
name = "plan"

[services.web]
path = "web"
run = "node server.js"
port = "auto"

[services.ctr]
path = "ctr"
mode = "container"
run = "node server.js"
port = "auto"

[services.db]
image = "postgres:16"
port = 5432
`;

describe('planUp with container services (no engine needed: the Docker modules load only at start)', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'poly-plan-')));
  const saved = { home: process.env.POLY_HOME, config: process.env.POLY_CONFIG_DIR };
  process.env.POLY_HOME = join(root, 'home');
  process.env.POLY_CONFIG_DIR = join(root, 'config');
  for (const dir of ['web', 'ctr']) mkdirSync(join(root, dir));
  writeFileSync(join(root, 'poly.toml'), MANIFEST);
  after(() => {
    for (const [key, value] of [
      ['POLY_HOME', saved.home],
      ['POLY_CONFIG_DIR', saved.config],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('runs each service on its side and injects the URLs that side can reach', async () => {
    const plan = await planUp(requireManifest(root), [], { ctx: testContext(process.env) });
    const mode = Object.fromEntries(plan.services.map((s) => [s.name, s.mode]));
    assert.deepEqual(mode, { web: 'native', ctr: 'container', db: 'container' });
    assert.ok(plan.runners.container, 'a container runner when some service runs in a container');
    const { web, ctr, db } = plan.ports as Record<string, number>;
    // The image's own port is inside its container; the host port is picked freely.
    assert.notEqual(db, 5432);
    assert.equal(plan.envs.web?.CTR_URL, `http://127.0.0.1:${ctr}`);
    assert.equal(plan.envs.web?.DB_URL, `http://127.0.0.1:${db}`);
    assert.equal(plan.envs.db?.CTR_URL, `http://ctr:${ctr}`);
    assert.equal(plan.envs.ctr?.DB_URL, 'http://db:5432');
    // Containers reach the native web through poly's relay, on a port of its own:
    // web may bind 0.0.0.0:<its port> without finding it taken.
    const [relay] = plan.forwardPorts;
    assert.equal(plan.forwardPorts.length, 1);
    assert.equal(relay?.target, web);
    assert.notEqual(relay?.listen, web);
    assert.equal(plan.envs.ctr?.WEB_URL, `http://host.docker.internal:${relay?.listen}`);
    assert.equal(plan.envs.ctr?.WEB_ADDR, `host.docker.internal:${relay?.listen}`);
    // The relay port is kept when the running supervisor applies poly.toml again.
    const again = await planUp(requireManifest(root), [], {
      ctx: testContext(process.env),
      running: { ports: Object.values(plan.ports), relays: { [web as number]: relay?.listen as number } },
    });
    assert.deepEqual(again.forwardPorts, plan.forwardPorts);
  });

  it('puts every runtime service in a container with allContainers, and none without container services', async () => {
    const all = await planUp(requireManifest(root), ['web'], {
      ctx: testContext(process.env),
      allContainers: true,
    });
    assert.deepEqual(
      all.services.map((s) => s.mode),
      ['container'],
    );
    writeFileSync(join(root, 'poly.toml'), MANIFEST.split('[services.ctr]')[0]!);
    const native = await planUp(requireManifest(root), [], { ctx: testContext(process.env) });
    assert.equal(native.runners.container, undefined);
    assert.deepEqual(native.forwardPorts, []);
  });
});

describe('planUp relays only the native services containers reach', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'poly-plan-reach-')));
  const saved = { home: process.env.POLY_HOME, config: process.env.POLY_CONFIG_DIR };
  process.env.POLY_HOME = join(root, 'home');
  process.env.POLY_CONFIG_DIR = join(root, 'config');
  for (const dir of ['api', 'other', 'ctr']) mkdirSync(join(root, dir));
  after(() => {
    for (const [key, value] of [
      ['POLY_HOME', saved.home],
      ['POLY_CONFIG_DIR', saved.config],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(root, { recursive: true, force: true });
  });
  const native = (name: string) => `[services.${name}]\npath = "${name}"\nrun = "node s.js"\nport = "auto"\n`;
  const plan = async (ctr: string) => {
    writeFileSync(
      join(root, 'poly.toml'),
      `${native('api')}${native('other')}[services.ctr]\npath = "ctr"\nmode = "container"\nrun = "node s.js"\n${ctr}`,
    );
    const p = await planUp(requireManifest(root), [], { ctx: testContext(process.env) });
    const { api, other } = p.ports as Record<string, number>;
    return p.forwardPorts.map((f) => (f.target === api ? 'api' : f.target === other ? 'other' : f.target));
  };

  it('a dependency, or a service whose variable the container names', async () => {
    assert.deepEqual(await plan('depends_on = ["api"]\n'), ['api']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
    assert.deepEqual(await plan('env = { PEER = "${OTHER_ADDR}" }\n'), ['other']);
    // A container that names no service: poly cannot tell which it calls, so it relays them all.
    assert.deepEqual((await plan('')).sort(), ['api', 'other']);
  });
});
