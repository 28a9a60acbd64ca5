// biome-ignore-all lint/suspicious/noExplicitAny: the tests walk untyped document trees (plain objects).
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isPolyError } from '../../../src/core/errors.js';
import { kubernetesFiles } from '../../../src/core/export/kubernetes.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { exportPlan } from '../../../src/services/export/plan.js';

const MANIFEST = `[project]
name = "shop"
env_file = { path = ".env.secret", secret = true }

[services.db]
use = "postgres@16"

[services.api]
image = "example/api:1"
port = 3000
env_file = [".env", { path = ".env.api", required = false, secret = true }]
`;

describe('kubernetes: Secrets from secret env_files, StatefulSets for databases', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'poly-k8s-secrets-')));
  after(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, '.env.secret'), 'API_TOKEN=t0ken\n');
  writeFileSync(join(root, '.env'), 'LOG=info\n');
  const plan = exportPlan(parseManifest(MANIFEST, join(root, 'poly.toml')), process.env);
  const docs = (name: string) => kubernetesFiles(plan).find((f) => f.name === name)!.documents as any[];

  it('puts the values of secret env_files in a Secret per service, and the pod reads them from it', () => {
    const [secret, deployment] = docs('services/api.yaml');
    assert.equal(secret.kind, 'Secret');
    assert.deepEqual(secret.stringData, { API_TOKEN: 't0ken' });
    const env = deployment.spec.template.spec.containers[0].env as any[];
    assert.deepEqual(
      env.find((e) => e.name === 'API_TOKEN'),
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api-secrets', key: 'API_TOKEN' } } },
    );
    assert.deepEqual(
      env.find((e) => e.name === 'LOG'),
      { name: 'LOG', value: 'info' },
      'a plain env_file stays in the pod spec',
    );
    assert.ok(!JSON.stringify(deployment).includes('t0ken'));
  });

  it('runs a database as a StatefulSet with a claim for its data folder (PGDATA inside it)', () => {
    // [project]'s secret env_file reaches the database too: its Secret comes first.
    const [secret, set] = docs('services/db.yaml');
    assert.equal(secret.kind, 'Secret');
    assert.equal(set.kind, 'StatefulSet');
    assert.equal(set.spec.volumeClaimTemplates[0].metadata.name, 'data');
    const c = set.spec.template.spec.containers[0];
    assert.deepEqual(c.volumeMounts, [{ name: 'data', mountPath: '/var/lib/postgresql/data' }]);
    assert.ok(c.env.some((e: any) => e.name === 'PGDATA' && e.value === '/var/lib/postgresql/data/pgdata'));
    assert.equal(docs('services/api.yaml')[1].kind, 'Deployment');
  });

  it('refuses a secret that is not true or false, naming the key', () => {
    const bad = '[services.web]\nimage = "nginx"\nenv_file = { path = ".env", secret = "yes" }\n';
    assert.throws(
      () => parseManifest(bad, join(root, 'poly.toml')),
      (e: unknown) => isPolyError(e) && /env_file: secret must be true or false, got "yes"/.test(e.message),
    );
  });
});
