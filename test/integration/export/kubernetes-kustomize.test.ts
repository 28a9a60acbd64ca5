// biome-ignore-all lint/suspicious/noExplicitAny: the tests walk untyped document trees (parsed YAML, plain objects).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, runPoly, tempHome } from '../../helpers/poly-cli.js';

/** kubectl renders kustomizations offline; without it the check cannot run (a failure in CI). */
function kubectlMissing(): string | false {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return false;
  } catch {
    if (process.env.CI === 'true')
      throw new Error('kubectl is required in CI (scripts/setup-machine.sh installs it)');
    return 'kubectl is not installed';
  }
}

const skip = kubectlMissing();
if (skip) console.log(`# skipping poly export kubernetes + kubectl kustomize: ${skip}`);

describe('poly export: the real CLI on project.example.toml', { skip }, () => {
  const home = tempHome('poly-export-');
  after(home.cleanup);
  const project = join(home.dir, 'shop');
  mkdirSync(project);
  cpSync(join(REPO_ROOT, 'project.example.toml'), join(project, 'poly.toml'));
  for (const dir of ['api', 'worker', 'web', 'jobs', 'gateway', 'cache'])
    mkdirSync(join(project, 'services', dir), { recursive: true });
  writeFileSync(join(project, 'services', 'cache', 'Dockerfile'), 'FROM scratch\n');
  // project.example.toml reads a required .env (env_file).
  writeFileSync(join(project, '.env'), 'LOG_LEVEL=info\n');
  // The api's env_file marked secret = true: its values belong in a Secret.
  writeFileSync(join(project, 'services', 'api', '.env.secret'), 'STRIPE_KEY=sk_test_123\n');

  /** Builds test/helpers/k8s-strict (k8s.io/api from the Go module proxy) once. */
  let decoder: string | undefined;
  function strictDecoder(): string {
    if (!decoder) {
      const out = join(home.dir, 'k8s-strict');
      execFileSync('go', ['build', '-o', out, '.'], {
        cwd: join(REPO_ROOT, 'test', 'helpers', 'k8s-strict'),
      });
      decoder = out;
    }
    return decoder;
  }

  it('the strict decoder refuses an unknown field (so its pass below means something)', () => {
    const typo = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  prots: []\n';
    assert.throws(
      () => execFileSync(strictDecoder(), [], { input: typo, stdio: 'pipe' }),
      (e: any) => /unknown field "prots"/.test(String(e.stderr)),
    );
  });

  it('kubectl kustomize renders every manifest into the namespace, and each decodes strictly', async () => {
    const out = join(home.dir, 'k8s');
    const run = await runPoly(['export', 'kubernetes', '-o', out, '--namespace', 'shop-test'], {
      cwd: project,
      env: home.env,
    });
    assert.equal(run.exitCode, 0, run.stderr);
    const rendered = execFileSync('kubectl', ['kustomize', out], { encoding: 'utf8' });
    const decoded = execFileSync(strictDecoder(), [], { input: rendered, encoding: 'utf8' });
    assert.equal(decoded.trim().split('\n').length, 23, decoded);
    const docs = parseAllDocuments(rendered).map((d) => d.toJS() as Record<string, any>);
    const kinds = docs.map((d) => `${d.kind}/${d.metadata.name}`).sort();
    assert.deepEqual(kinds, [
      'ConfigMap/shop-env',
      'Deployment/api',
      'Deployment/cache',
      'Deployment/db',
      'Deployment/gateway',
      'Deployment/jobs',
      'Deployment/web',
      'Deployment/worker',
      'Namespace/shop-test',
      'Secret/api-secrets',
      'Service/api',
      'Service/cache',
      'Service/db',
      'Service/gateway',
      'Service/jobs',
      'Service/orders',
      'Service/sessions',
      'Service/store',
      'Service/web',
      'Service/worker',
      'StatefulSet/orders',
      'StatefulSet/sessions',
      'StatefulSet/store',
    ]);
    for (const d of docs.filter((d) => d.kind !== 'Namespace'))
      assert.equal(d.metadata.namespace, 'shop-test');
    const api = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'api')!;
    const pod = api.spec.template.spec;
    assert.deepEqual(
      pod.initContainers.map((c: any) => c.name),
      ['wait-for-db', 'wait-for-worker'],
    );
    assert.equal(pod.containers[0].image, 'shop-api:latest');
    assert.deepEqual(pod.containers[0].readinessProbe.httpGet, { path: '/health', port: 3000 });
    // The secret env_file's value is only in the Secret; the pod reads it from there.
    const secret = docs.find((d) => d.kind === 'Secret')!;
    assert.deepEqual(secret.stringData, { STRIPE_KEY: 'sk_test_123' });
    assert.deepEqual(
      pod.containers[0].env.find((e: any) => e.name === 'STRIPE_KEY'),
      { name: 'STRIPE_KEY', valueFrom: { secretKeyRef: { name: 'api-secrets', key: 'STRIPE_KEY' } } },
    );
    assert.doesNotMatch(
      rendered.replace(/^kind: Secret[\s\S]*?(?=^---|(?![\s\S]))/m, ''),
      /sk_test_123/,
      'the secret value appears in no document but the Secret',
    );
    // A database (use =) is a StatefulSet whose pods each get a claim for the data folder.
    const store = docs.find((d) => d.kind === 'StatefulSet' && d.metadata.name === 'store')!;
    assert.equal(store.spec.serviceName, 'store');
    assert.deepEqual(store.spec.volumeClaimTemplates[0].spec, {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    });
    assert.deepEqual(store.spec.template.spec.containers[0].volumeMounts, [
      { name: 'data', mountPath: '/var/lib/postgresql/data' },
    ]);
    assert.equal(store.spec.template.spec.containers[0].image, 'postgres:16');
  });

  it('writes compose.yaml beside poly.toml with the peers on the project network', async () => {
    const run = await runPoly(['export', 'compose'], { cwd: project, env: home.env });
    assert.equal(run.exitCode, 0, run.stderr);
    const [doc] = parseAllDocuments(readFileSync(join(project, 'compose.yaml'), 'utf8')).map(
      (d) => d.toJS() as Record<string, any>,
    );
    assert.equal(doc!.services.gateway.environment.API_URL, 'http://api:3000');
    assert.equal(doc!.services.db.image, 'postgres:16');
    assert.deepEqual(doc!.services.cache.build, { context: './services/cache', dockerfile: 'Dockerfile' });
    assert.equal(doc!.services.cache.restart, 'no');
  });

  it('refuses a namespace Kubernetes would reject, with exit 2 and nothing written', async () => {
    const out = join(home.dir, 'bad');
    const run = await runPoly(['export', 'kubernetes', '-o', out, '--namespace', 'Shop_1'], {
      cwd: project,
      env: home.env,
    });
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /--namespace "Shop_1" is not a valid Kubernetes namespace/);
    assert.throws(() => readFileSync(join(out, 'kustomization.yaml')));
  });
});
