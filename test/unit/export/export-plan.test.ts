// biome-ignore-all lint/suspicious/noExplicitAny: the tests walk untyped document trees (parsed YAML, plain objects).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isPolyError } from '../../../src/core/errors.js';
import { composeDocument } from '../../../src/core/export/compose.js';
import { tcpReachable } from '../../../src/core/export/health.js';
import { kubernetesFiles } from '../../../src/core/export/kubernetes.js';
import { builtImageName, exportName } from '../../../src/core/export/plan.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { exportPlan } from '../../../src/services/export/plan.js';

const MANIFEST = `[project]
name = "My Shop"

[runtimes]
node = "22"
python = "3.12"
go = "1.23"

[env]
LOG = "info"
PRICE = "$5"

[services.api]
path = "api"
runtime = "node"
run = "node server.js"
port = 3000
health = "/health"
depends_on = ["db", "queue_worker"]
env = { MODE = "prod" }

[services.api.deploy]
replicas = 3
cpu = "500m"
memory = "256Mi"

[services.queue_worker]
path = "worker"
runtime = "python"
run = "python -m worker"
port = "auto"
health = { cmd = "python -m worker.ping", interval = "1s", retries = 5, start_period = "2m" }

[services.db]
image = "postgres:16"
port = 5432
env = { POSTGRES_PASSWORD = "dev" }

[services.cache]
build = "cache/Dockerfile"
restart = "no"

[services.batch]
path = "batch"
runtime = "go"
run = "go run ."
depends_on = ["cache"]
`;

function svc(doc: Record<string, unknown>, name: string): Record<string, any> {
  return (doc.services as Record<string, any>)[name];
}

describe('export plan, compose and Kubernetes mapping', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'poly-export-')));
  for (const dir of ['api', 'worker', 'cache', 'batch']) mkdirSync(join(root, dir));
  writeFileSync(join(root, 'cache', 'Dockerfile'), 'FROM scratch\n');
  after(() => rmSync(root, { recursive: true, force: true }));
  const manifest = parseManifest(MANIFEST, join(root, 'poly.toml'));
  const plan = exportPlan(manifest, process.env);

  it('names images and services as image references and DNS labels allow', () => {
    assert.equal(exportName('My Shop'), 'my-shop');
    assert.equal(exportName('queue_worker'), 'queue-worker');
    assert.equal(builtImageName('My Shop', 'api'), 'my-shop-api:latest');
    assert.deepEqual(
      plan.services.map((s) => [s.name, s.source.kind, s.source.image]),
      [
        ['api', 'runtime', 'my-shop-api:latest'],
        ['queue-worker', 'runtime', 'my-shop-queue-worker:latest'],
        ['db', 'image', 'postgres:16'],
        ['cache', 'build', 'my-shop-cache:latest'],
        ['batch', 'runtime', 'my-shop-batch:latest'],
      ],
    );
  });

  it('resolves peer variables for the network: <peer>:<port>, an auto port as 8080', () => {
    const api = plan.services[0]!;
    assert.equal(api.env.PORT, '3000');
    assert.equal(api.env.MODE, 'prod');
    assert.equal(api.env.LOG, 'info');
    assert.equal(api.env.DB_URL, 'http://db:5432');
    assert.equal(api.env.DB_HOST, 'db');
    assert.equal(api.env.QUEUE_WORKER_URL, 'http://queue-worker:8080');
    assert.equal(api.env.QUEUE_WORKER_PORT, '8080');
    assert.equal(
      api.env.API_URL,
      'http://api:3000',
      'a service sees its own variables too, as under poly up',
    );
    assert.equal(plan.services[1]!.env.PORT, '8080');
  });

  it('compose: healthy dependencies, 127.0.0.1 ports, escaped dollars, build context beside the Dockerfile', () => {
    const doc = composeDocument(plan, { outputDir: root });
    const api = svc(doc, 'api');
    assert.deepEqual(api.depends_on, {
      db: { condition: 'service_healthy' },
      'queue-worker': { condition: 'service_healthy' },
    });
    assert.deepEqual(api.ports, [{ target: 3000, published: '3000', host_ip: '127.0.0.1', protocol: 'tcp' }]);
    assert.equal(api.environment.PRICE, '$$5');
    assert.match(api.healthcheck.test[1], /curl -fsS -o \/dev\/null 'http:\/\/127\.0\.0\.1:3000\/health'/);
    // Without curl or wget (poly build's slim Debian images), bash asks; its `$` escaped for compose.
    assert.match(
      api.healthcheck.test[1],
      /\|\| bash -c 'exec 3<>\/dev\/tcp\/127\.0\.0\.1\/\$\$0 .*' 3000 '\/health'$/,
    );
    assert.deepEqual(svc(doc, 'queue-worker').ports, [
      { target: 8080, host_ip: '127.0.0.1', protocol: 'tcp' },
    ]);
    assert.deepEqual(svc(doc, 'queue-worker').healthcheck, {
      test: ['CMD-SHELL', 'python -m worker.ping'],
      interval: '1s',
      timeout: '2s',
      retries: 5,
      start_period: '120s',
    });
    assert.ok(svc(doc, 'db').healthcheck.test[1].startsWith(tcpReachable('127.0.0.1', 5432)));
    assert.deepEqual(svc(doc, 'cache').build, { context: './cache', dockerfile: 'Dockerfile' });
    assert.equal(svc(doc, 'cache').restart, 'no');
    // cache has neither port nor health: compose would refuse service_healthy on it.
    assert.equal(svc(doc, 'cache').healthcheck, undefined);
    assert.deepEqual(svc(doc, 'batch').depends_on, { cache: { condition: 'service_started' } });
    assert.deepEqual(svc(doc, 'api').networks, ['my-shop']);
    assert.deepEqual(doc.networks, { 'my-shop': {} });
    assert.equal(composeDocument(plan, { outputDir: join(root, 'deploy') }).services !== undefined, true);
    assert.equal(
      svc(composeDocument(plan, { outputDir: join(root, 'deploy') }), 'cache').build.context,
      '../cache',
    );
  });

  it('[services.x.deploy]: replicas and resources in compose and Kubernetes', () => {
    assert.deepEqual(svc(composeDocument(plan, { outputDir: root }), 'api').deploy, {
      replicas: 3,
      resources: { limits: { memory: '256m' }, reservations: { cpus: '0.5', memory: '256m' } },
    });
    assert.equal(svc(composeDocument(plan, { outputDir: root }), 'db').deploy, undefined);
    const api = kubernetesFiles(plan).find((f) => f.name === 'services/api.yaml')!.documents[0] as any;
    assert.equal(api.spec.replicas, 3);
    assert.deepEqual(api.spec.template.spec.containers[0].resources, {
      requests: { cpu: '500m', memory: '256Mi' },
      limits: { memory: '256Mi' },
    });
    const db = kubernetesFiles(plan).find((f) => f.name === 'services/db.yaml')!.documents[0] as any;
    assert.equal(db.spec.replicas, 1);
    assert.equal(db.spec.template.spec.containers[0].resources, undefined);
  });

  it('refuses a deploy table Kubernetes could not use, naming the key', () => {
    for (const [line, pattern] of [
      ['replicas = 0', /deploy\.replicas must be a whole number >= 1/],
      ['cpu = "lots"', /deploy\.cpu must be cores or millicores/],
      ['memory = "1GB"', /deploy\.memory must be a size like "256Mi"/],
      ['disk = "1Gi"', /disk/],
    ] as const) {
      const bad = `[services.web]\nimage = "nginx"\n[services.web.deploy]\n${line}\n`;
      assert.throws(
        () => parseManifest(bad, join(root, 'poly.toml')),
        (e: unknown) => isPolyError(e) && pattern.test(e.message),
        line,
      );
    }
  });

  it('compose --publish-all drops the 127.0.0.1 binding', () => {
    const doc = composeDocument(plan, { outputDir: root, publishAll: true });
    assert.deepEqual(svc(doc, 'api').ports, [{ target: 3000, published: '3000', protocol: 'tcp' }]);
  });

  it('kubernetes: a ConfigMap for [env], probes from health, init containers per dependency with a port', () => {
    const files = kubernetesFiles(plan, { namespace: 'shop' });
    const byName = new Map(files.map((f) => [f.name, f.documents]));
    assert.deepEqual([...byName.keys()].sort(), [
      'configmap.yaml',
      'kustomization.yaml',
      'namespace.yaml',
      'services/api.yaml',
      'services/batch.yaml',
      'services/cache.yaml',
      'services/db.yaml',
      'services/queue-worker.yaml',
    ]);
    const kustomization = byName.get('kustomization.yaml')![0] as Record<string, any>;
    assert.equal(kustomization.namespace, 'shop');
    assert.equal(kustomization.resources.length, 7);
    assert.deepEqual((byName.get('configmap.yaml')![0] as any).data, { LOG: 'info', PRICE: '$5' });
    const [deployment, service] = byName.get('services/api.yaml') as any[];
    assert.equal(service.kind, 'Service');
    const pod = deployment.spec.template.spec;
    assert.deepEqual(
      pod.initContainers.map((c: any) => c.command[2]),
      [
        `until ${tcpReachable('db', 5432)}; do echo "waiting for db:5432"; sleep 2; done`,
        `until ${tcpReachable('queue-worker', 8080)}; do echo "waiting for queue-worker:8080"; sleep 2; done`,
      ],
    );
    const main = pod.containers[0];
    assert.equal(main.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(main.envFrom, [{ configMapRef: { name: 'my-shop-env' } }]);
    const env = Object.fromEntries(main.env.map((e: any) => [e.name, e.value]));
    assert.equal(env.LOG, undefined, '[env] comes from the ConfigMap, not repeated');
    assert.equal(env.DB_URL, 'http://db:5432');
    assert.deepEqual(main.readinessProbe.httpGet, { path: '/health', port: 3000 });
    // The default start window: 3 retries x 10 s interval = 3 ten-second startup periods.
    assert.equal(main.startupProbe.failureThreshold, 3);
    assert.equal(main.livenessProbe.failureThreshold, 3);
    const worker = (byName.get('services/queue-worker.yaml') as any[])[0].spec.template.spec.containers[0];
    assert.deepEqual(worker.livenessProbe.exec, { command: ['/bin/sh', '-c', 'python -m worker.ping'] });
    assert.equal(worker.startupProbe.failureThreshold, 120);
    assert.equal((byName.get('services/cache.yaml') as any[]).length, 1, 'no port, no Service');
    const batch = (byName.get('services/batch.yaml') as any[])[0].spec.template.spec;
    assert.equal(batch.initContainers, undefined, 'cache has no port to wait on');
  });

  it('exports a database service as the official image of its version, with the credentials its peers use', () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'poly-export-db-')));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const text = `[project]\nname = "shop"\n\n[services.store]\nuse = "postgres@16"\nuser = "app"\n\n[services.cache]\nuse = "redis@7"\n\n[services.web]\nimage = "nginx:1"\nport = 80\ndepends_on = ["store", "cache"]\n`;
    const dbPlan = exportPlan(parseManifest(text, join(dir, 'poly.toml')), process.env);
    const store = dbPlan.services.find((s) => s.name === 'store')!;
    assert.deepEqual(store.source, { kind: 'image', image: 'postgres:16' });
    assert.equal(store.port, 5432);
    assert.equal(store.env.POSTGRES_USER, 'app');
    assert.equal(store.env.POSTGRES_DB, 'shop');
    const cache = dbPlan.services.find((s) => s.name === 'cache')!;
    assert.deepEqual(cache.source, { kind: 'image', image: 'redis:7' });
    const web = dbPlan.services.find((s) => s.name === 'web')!;
    assert.equal(web.env.STORE_URL, 'postgres://app:dev@store:5432/shop');
    assert.equal(web.env.CACHE_URL, 'redis://cache:6379');
    // A database's first start initialises its data before it listens: its checks get a start window.
    assert.equal(store.healthTiming.startPeriod, 120_000);
    assert.equal(svc(composeDocument(dbPlan, { outputDir: dir }), 'store').healthcheck.start_period, '120s');
    assert.equal(web.healthTiming.startPeriod, undefined);
    const own = exportPlan(
      parseManifest(
        text.replace('user = "app"', 'user = "app"\nhealth = { tcp = 5432, start_period = "3m" }'),
        join(dir, 'poly.toml'),
      ),
      process.env,
    );
    assert.equal(own.services.find((s) => s.name === 'store')!.healthTiming.startPeriod, 180_000);
    // POLY_POSTGRES_IMAGE (a copy in a company registry) is the image container mode runs: export writes it too.
    const mirrored = exportPlan(parseManifest(text, join(dir, 'poly.toml')), {
      POLY_POSTGRES_IMAGE: 'registry.example/postgres:16',
    });
    assert.deepEqual(mirrored.services.find((s) => s.name === 'store')!.source, {
      kind: 'image',
      image: 'registry.example/postgres:16',
    });
    assert.deepEqual(mirrored.services.find((s) => s.name === 'cache')!.source, {
      kind: 'image',
      image: 'redis:7',
    });
  });

  it('refuses two services that export to one name, and a service with no image to export', () => {
    const clash = `${MANIFEST}\n[services.queue-worker]\nimage = "redis:7"\n`;
    assert.throws(
      () => exportPlan(parseManifest(clash, join(root, 'poly.toml')), process.env),
      (e: unknown) =>
        isPolyError(e) && e.code === 'EXPORT_NAME_CLASH' && /queue_worker.*queue-worker/.test(e.message),
    );
    const bare = `[services.tool]\nrun = "./serve"\n`;
    assert.throws(
      () => exportPlan(parseManifest(bare, join(root, 'poly.toml')), process.env),
      (e: unknown) => isPolyError(e) && e.code === 'EXPORT_NO_IMAGE' && /services\.tool/.test(e.message),
    );
  });
});
