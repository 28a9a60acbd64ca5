import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { serviceEndpoints } from '../../../src/core/docker/service-urls.js';
import { EMPTY_DELTA } from '../../../src/core/env/types.js';
import { PolyError } from '../../../src/core/errors.js';
import { formatError } from '../../../src/core/format-error.js';
import { decodeManifest, MAX_MANIFEST_BYTES, parseManifest } from '../../../src/core/manifest/load.js';
import { planEnvironments } from '../../../src/services/up/env.js';
import { REPO_ROOT } from '../../helpers/poly-cli.js';

const BROKEN = join(REPO_ROOT, 'test', 'fixtures', 'manifests', 'broken');
const GOOD = join(REPO_ROOT, 'test', 'fixtures', 'manifests', 'good');

/** As poly reads a file: bytes, decoded, validated. Root /project so messages are machine-independent. */
function load(bytes: Uint8Array) {
  return parseManifest(decodeManifest(bytes, 'poly.toml'), '/project/poly.toml', 'poly.toml');
}

/**
 * Every service's environment as `poly up` would compute it, with a fixed host
 * environment and no toolchains: where an unknown `${NAME}` is found.
 */
function planAll(manifest: ReturnType<typeof load>): void {
  const specs = Object.values(manifest.services);
  const ports = Object.fromEntries(
    specs.map((s, i) => [s.name, typeof s.port === 'number' ? s.port : 40000 + i]),
  );
  const peers = serviceEndpoints(specs, ports, manifest.project);
  planEnvironments(manifest, { ...EMPTY_DELTA, toolchainSet: {} }, specs, ports, peers, {
    PATH: '/usr/bin:/bin',
    HOME: '/home/dev',
  });
}

function failure(bytes: Uint8Array): PolyError {
  try {
    planAll(load(bytes));
  } catch (err) {
    assert.ok(err instanceof PolyError, `expected a PolyError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the manifest to be refused');
}

describe('broken manifests: each gets its exact message', () => {
  const files = readdirSync(BROKEN).filter((f) => f.endsWith('.toml'));
  it('the corpus holds at least 25 broken manifests', () => {
    assert.ok(files.length >= 25, `only ${files.length}`);
  });
  for (const file of files.sort()) {
    it(file, () => {
      const expected = readFileSync(join(BROKEN, file.replace(/\.toml$/, '.expected')), 'utf8').trimEnd();
      const err = failure(readFileSync(join(BROKEN, file)));
      assert.equal(err.exitCode, 2);
      const shown = formatError(err, {});
      assert.equal(shown, expected);
      assert.doesNotMatch(shown, /\n\s+at /, 'no stack trace without POLY_DEBUG=1');
    });
  }

  it('a huge file is refused by size before parsing', () => {
    const huge = Buffer.from(`[runtimes]\nnode = "22"\n${'# padding\n'.repeat(MAX_MANIFEST_BYTES / 10 + 1)}`);
    const err = failure(huge);
    assert.equal(
      formatError(err, {}),
      'error: poly.toml:1:1: file is 1.0 MB; a manifest may be at most 1.0 MB\n' +
        'hint: Is this the right file? A poly.toml holds runtime pins and services and is a few KB.',
    );
    assert.equal(err.exitCode, 2);
  });

  it('shows the stack only with POLY_DEBUG=1', () => {
    const err = failure(Buffer.from('[runtimes]\nnod = "22"\n'));
    assert.match(formatError(err, { POLY_DEBUG: '1' }), /\n\s+at /);
  });
});

describe('good manifests validate', () => {
  for (const file of readdirSync(GOOD).filter((f) => f.endsWith('.toml'))) {
    it(file, () => {
      const manifest = load(readFileSync(join(GOOD, file)));
      assert.equal(manifest.root, '/project');
    });
  }

  it('BOM and CRLF are read like plain LF', () => {
    const m = load(readFileSync(join(GOOD, 'bom-crlf.toml')));
    assert.equal(m.project.name, 'shop');
    assert.deepEqual(m.runtimes.node, { runtime: 'node', spec: '22' });
  });

  it('java short forms carry the distribution', () => {
    const m = load(readFileSync(join(GOOD, 'all-spec-forms.toml')));
    assert.deepEqual(m.runtimes.java, { runtime: 'java', spec: '21', distribution: 'temurin' });
    assert.equal(m.runtimes.rust?.spec, 'nightly-2024-05-01');
  });

  it('project.example.toml validates and documents every key with a comment', () => {
    const source = readFileSync(join(REPO_ROOT, 'project.example.toml'), 'utf8');
    const m = parseManifest(source, '/project/poly.toml', 'project.example.toml');
    assert.deepEqual(Object.keys(m.runtimes).sort(), ['go', 'java', 'node', 'python', 'rust']);
    assert.deepEqual(m.runtimes.node, { runtime: 'node', spec: '22', source: 'npm' });
    assert.deepEqual(m.runtimes.python, { runtime: 'python', spec: '3.12', venv: '.venv' });
    assert.equal(m.services.api?.health?.kind, 'http');
    assert.equal(m.services.worker?.health?.kind, 'cmd');
    assert.deepEqual(m.services.worker?.healthTiming, {
      interval: 1000,
      timeout: 5000,
      retries: 30,
      startPeriod: 120_000,
      startInterval: 250,
    });
    assert.equal(m.services.worker?.venv, '/project/services/worker/.venv');
    assert.equal(m.services.api?.protocol, 'http');
    assert.deepEqual(m.project.envFiles, [
      { path: '/project/.env', written: '.env', required: true },
      { path: '/project/.env.local', written: '.env.local', required: false },
    ]);
    assert.equal(m.services.db?.health?.kind, 'tcp');
    assert.equal(m.services.db?.stopTimeout, 30_000);
    assert.equal(m.services.cache?.build, 'services/cache/Dockerfile');
    assert.deepEqual(m.services.store?.database, {
      name: 'postgres',
      spec: '16',
      database: 'shop',
      user: 'app',
      password: 'dev',
      init: ['/project/db/schema.sql', '/project/db/seed.sql'],
      config: { max_connections: '50' },
    });
    assert.equal(m.services.worker?.port, 'auto');
    // Every key the schema knows appears in the file, as `key =` or `[key]`.
    const keys = [
      'name',
      'mode',
      'base_image',
      'rust',
      'go',
      'node',
      'python',
      'java',
      'version',
      'source',
      'venv',
      'distribution',
      'path',
      'runtime',
      'run',
      'port',
      'health',
      'depends_on',
      'env',
      'restart',
      'stop_timeout',
      'image',
      'build',
      'tcp',
      'cmd',
      'interval',
      'timeout',
      'retries',
      'start_period',
      'start_interval',
      'env_file',
      'protocol',
      'required',
      'use',
      'database',
      'user',
      'password',
      'init',
      'config',
    ];
    for (const key of keys) assert.match(source, new RegExp(`(^|[\\s{,])${key}\\s*=`, 'm'), key);
    // Each section header and each key line in [project]/[runtimes]/services.api is preceded by a comment.
    const lines = source.split('\n');
    const documented = [
      '[project]',
      'name =',
      'mode =',
      'base_image =',
      '[runtimes]',
      'rust =',
      'node =',
      'python =',
      'java =',
      '[env]',
      'path =',
      'runtime =',
      'run =',
      'port =',
      'health =',
      'depends_on =',
      'env =',
      'restart =',
      'stop_timeout =',
    ];
    for (const start of documented) {
      const i = lines.findIndex((l) => l.startsWith(start));
      assert.ok(i > 0 && lines[i - 1]?.startsWith('#'), `"${start}" has a comment above it`);
    }
  });
});

describe('service paths on disk', () => {
  it('refuses a symlink that leads out of the project, accepts one that stays in', () => {
    const base = mkdtempSync(join(tmpdir(), 'poly-symlink-'));
    try {
      const project = join(base, 'project');
      mkdirSync(join(project, 'real', 'api'), { recursive: true });
      mkdirSync(join(base, 'outside'));
      symlinkSync(join(base, 'outside'), join(project, 'escape'));
      symlinkSync(join(project, 'real', 'api'), join(project, 'api'));
      const file = join(project, 'poly.toml');
      const ok = parseManifest('[services.api]\npath = "api"\nrun = "x"\n', file, 'poly.toml');
      assert.equal(ok.services.api?.path, join(project, 'api'));
      assert.throws(
        () => parseManifest('[services.api]\npath = "escape"\nrun = "x"\n', file, 'poly.toml'),
        (err: unknown) =>
          err instanceof PolyError &&
          err.exitCode === 2 &&
          /^poly\.toml:2:1: services\.api\.path "escape" leads outside the project folder through a symlink/.test(
            err.message,
          ),
      );
      // A folder whose name starts with two dots is inside.
      mkdirSync(join(project, '..data'));
      assert.ok(parseManifest('[services.d]\npath = "..data"\nrun = "x"\n', file, 'poly.toml').services.d);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
