// biome-ignore-all lint/suspicious/noExplicitAny: the tests walk untyped document trees (plain objects).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isPolyError } from '../../../src/core/errors.js';
import { composeDocument, dockerMemory } from '../../../src/core/export/compose.js';
import { SWARM_DEFAULTS, swarmComposeDocument } from '../../../src/core/export/swarm.js';
import { memoryBytes, stackSpec } from '../../../src/core/export/swarm-services.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { exportPlan } from '../../../src/services/export/plan.js';

const MANIFEST = `[project]
name = "stack"

[services.db]
use = "postgres@16"

[services.api]
image = "example/api:1"
port = 3000
health = "/health"
depends_on = ["db"]
restart = "always"

[services.api.deploy]
replicas = 2
memory = "512M"

[services.worker]
image = "example/worker:1"
port = "auto"
restart = "no"
`;

describe('compose for docker stack deploy (--for swarm)', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'poly-swarm-compose-')));
  mkdirSync(join(root, 'x'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const plan = exportPlan(parseManifest(MANIFEST, join(root, 'poly.toml')), process.env);

  it('has no key stack deploy rejects: version 3.8, no name, no build, no host_ip, depends_on as a list', () => {
    const doc = swarmComposeDocument(plan, SWARM_DEFAULTS) as any;
    assert.equal(doc.version, '3.8');
    assert.equal(doc.name, undefined);
    assert.deepEqual(doc.networks, { stack: { driver: 'overlay' } });
    assert.deepEqual(doc.services.api.depends_on, ['db']);
    assert.deepEqual(doc.services.api.ports, [
      { target: 3000, published: 3000, protocol: 'tcp', mode: 'ingress' },
    ]);
    assert.equal(doc.services.api.restart, undefined);
    assert.equal(doc.services.api.build, undefined);
    assert.deepEqual(doc.services.api.deploy, {
      endpoint_mode: 'vip',
      replicas: 2,
      resources: { limits: { memory: '512000000' }, reservations: { memory: '512000000' } },
      restart_policy: { condition: 'any' },
    });
    // Swarm publishes on every interface: an "auto" port (a database's too) stays inside the stack.
    assert.equal(doc.services.worker.ports, undefined);
    assert.equal(doc.services.db.ports, undefined);
    assert.deepEqual(doc.services.worker.deploy.restart_policy, { condition: 'none' });
  });

  it('keeps database data on a named volume, in both variants', () => {
    const mount = { type: 'volume', source: 'db-data', target: '/var/lib/postgresql/data' };
    const swarm = swarmComposeDocument(plan, SWARM_DEFAULTS) as any;
    const compose = composeDocument(plan, { outputDir: root }) as any;
    for (const doc of [swarm, compose]) {
      assert.deepEqual(doc.services.db.volumes, [mount]);
      assert.deepEqual(doc.volumes, { 'db-data': {} });
      assert.equal(doc.services.api.volumes, undefined);
    }
  });

  it('dnsrr with host publishing, as the flags say', () => {
    const doc = swarmComposeDocument(plan, { endpointMode: 'dnsrr', publishMode: 'host' }) as any;
    assert.equal(doc.services.api.deploy.endpoint_mode, 'dnsrr');
    assert.equal(doc.services.api.ports[0].mode, 'host');
  });

  it('refuses dnsrr with ingress publishing, which Swarm would refuse mid-deploy', () => {
    assert.throws(
      () => swarmComposeDocument(plan, { endpointMode: 'dnsrr', publishMode: 'ingress' }),
      (e: unknown) =>
        isPolyError(e) && e.code === 'SWARM_DNSRR_INGRESS' && /--publish-mode host/.test(e.hint ?? ''),
    );
  });

  it('writes memory as docker reads sizes ("m" is MiB there)', () => {
    assert.equal(dockerMemory('256Mi'), '256m');
    assert.equal(dockerMemory('1Gi'), '1g');
    assert.equal(dockerMemory('2Ki'), '2k');
    assert.equal(dockerMemory('512M'), '512000000');
    assert.equal(dockerMemory('1000'), '1000');
  });
});

describe('the stack as Engine API specs (what poly deploy swarm creates)', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'poly-swarm-spec-')));
  after(() => rmSync(root, { recursive: true, force: true }));
  const manifest = `${MANIFEST}\n[services.api.env]\nPRICE = "$$5"\n`;
  const plan = exportPlan(parseManifest(manifest, join(root, 'poly.toml')), process.env);

  it('names and labels everything as docker stack deploy does, values unescaped, sizes in bytes', () => {
    const spec = stackSpec(plan, 'shop', { endpointMode: 'dnsrr', publishMode: 'host' });
    assert.deepEqual(spec.network, {
      Name: 'shop_stack',
      Driver: 'overlay',
      Labels: { 'com.docker.stack.namespace': 'shop' },
    });
    const api = spec.services.find((s) => s.service === 'api')!;
    assert.equal(api.spec.Name, 'shop_api');
    assert.equal(api.replicas, 2);
    const task = api.spec.TaskTemplate as any;
    assert.deepEqual(task.Networks, [{ Target: 'shop_stack', Aliases: ['api'] }]);
    assert.ok(task.ContainerSpec.Env.includes('PRICE=$5'), 'the API takes values as they are');
    assert.deepEqual(task.Resources.Limits, { MemoryBytes: 512_000_000 });
    assert.equal(task.ContainerSpec.Healthcheck.Interval, 10_000_000_000);
    assert.deepEqual(task.RestartPolicy, { Condition: 'any' });
    assert.deepEqual(api.spec.EndpointSpec, {
      Mode: 'dnsrr',
      Ports: [{ Protocol: 'tcp', TargetPort: 3000, PublishedPort: 3000, PublishMode: 'host' }],
    });
    const db = spec.services.find((s) => s.service === 'db')!.spec.TaskTemplate as any;
    assert.deepEqual(db.ContainerSpec.Mounts[0], {
      Type: 'volume',
      Source: 'shop_db-data',
      Target: '/var/lib/postgresql/data',
      VolumeOptions: { Labels: { 'com.docker.stack.namespace': 'shop' } },
    });
    assert.equal(memoryBytes('256Mi'), 268_435_456);
  });
});
