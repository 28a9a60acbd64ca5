import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';
import { processesWithToken, waitFor } from '../../helpers/services-project.js';
import { freePort, POLY_BIN, runPoly, templatesPolyHome, testCacheDir } from '../../helpers/templates-e2e.js';

const SERVICES = [
  { template: 'axum', name: 'api' },
  { template: 'fastapi', name: 'catalog' },
  { template: 'express', name: 'web' },
  { template: 'go-http', name: 'gateway' },
];

/** Appends "<label> <epoch ms>" to stamps.log in the project folder. */
const STAMP_JS = `require('fs').appendFileSync(require('path').join(process.env.PROJECT_ROOT, 'stamps.log'), process.argv[2] + ' ' + Date.now() + '\\n');
`;

/**
 * Issue 12's "done when", as a new user would: a project of four services in
 * four languages made with `poly new` (toolchains from the local mirror,
 * dependencies from the registries), then `poly run test` runs each service's
 * own tests on its own pinned toolchain in parallel; a broken test makes it
 * exit 1 naming that task; sources make a second run skip; depends order holds
 * by timestamps; a task that depends on a service starts it and stops it; and
 * Ctrl-C leaves no process.
 */
describe('poly run over four template services', { timeout: 30 * 60_000 }, () => {
  const base = mkdtempSync(join(tmpdir(), 'poly-tasks-e2e-'));
  const root = join(base, 'project');
  const token = `tasks-${process.pid}-${Date.now()}`;
  let mirror: Mirror;
  let env: NodeJS.ProcessEnv;
  const poly = async (args: string[], expectCode = 0) => {
    const result = await runPoly(args, root, env);
    assert.equal(result.exitCode, expectCode, `poly ${args.join(' ')}:\n${result.all}`);
    return String(result.all);
  };
  const stamps = () =>
    Object.fromEntries(
      readFileSync(join(root, 'stamps.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ') as [string, string])
        .map(([k, v]) => [k, Number(v)]),
    );

  before(async () => {
    mirror = await startMirror();
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'poly.toml'), '[project]\nname = "tasks-e2e"\n');
    env = {
      ...process.env,
      ...mirror.env,
      POLY_HOME: templatesPolyHome(join(base, 'home')),
      POLY_CONFIG_DIR: join(base, 'config'),
      CARGO_TARGET_DIR: join(testCacheDir(), 'cargo-target'),
      POLY_TEST_TOKEN: token,
      PROJECT_ROOT: root,
      NO_COLOR: '1',
      CI: '1',
    };
  });
  after(async () => {
    await mirror?.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('poly new of four templates registers their test, build and lint tasks', async () => {
    for (const s of SERVICES) await poly(['new', s.template, s.name, '--port', String(await freePort())]);
    const tasks = JSON.parse(await poly(['tasks', '--json'])) as Array<{ id: string }>;
    const ids = tasks.map((t) => t.id);
    for (const s of SERVICES)
      assert.ok(ids.includes(`${s.name}:test`), `${s.name}:test in ${ids.join(', ')}`);
    assert.ok(ids.includes('gateway:build') && ids.includes('gateway:lint') && ids.includes('api:lint'));
  });

  it('the user adds a generator, sources and a task that needs the web service', () => {
    writeFileSync(join(root, 'stamp.js'), STAMP_JS);
    writeFileSync(join(root, 'schema.txt'), 'v1\n');
    let manifest = readFileSync(join(root, 'poly.toml'), 'utf8');
    // gateway's tests wait for gen, and are skipped while its Go files do not change.
    manifest = manifest.replace(
      'test = "go test ./..."',
      'test = { run = ["node ../../stamp.js gateway:test", "go test ./..."], depends = ["gen"], sources = ["**/*.go", "go.mod"] }',
    );
    manifest += `
[tasks.gen]
run = ["node stamp.js gen:start", "sh -c 'mkdir -p gen && cp schema.txt gen/schema.txt'", "node stamp.js gen:end"]
sources = ["schema.txt"]
outputs = ["gen/schema.txt"]

[tasks.smoke]
description = "asks the running web service"
run = "node -e \\"fetch(process.env.WEB_URL + '/api/hello').then(r => r.json()).then(b => console.log('smoke says', b.message))\\""
depends = ["service:web"]

[tasks.hold]
run = "node -e \\"console.log('holding'); setInterval(() => {}, 1000)\\""
depends = ["service:web"]
`;
    writeFileSync(join(root, 'poly.toml'), manifest);
  });

  it('poly run test: every service tests on its own toolchain, in parallel, dependencies first', async () => {
    const out = await poly(['run', 'test']);
    // A duration is 231ms, 2.8s or, for a cold cargo build, 1m08s.
    for (const s of SERVICES)
      assert.match(out, new RegExp(`✓ ${s.name}:test +(\\d+m\\d\\ds|[\\d.]+m?s) +passed`));
    // Each ran on the toolchain poly installed for the project (its output names it).
    assert.match(out, /^api:test +\| .*test result: ok/m);
    assert.match(out, /^catalog:test +\| .* passed/m);
    assert.match(out, /^gateway:test +\| ok\s/m);
    const at = stamps();
    assert.ok((at['gen:end'] ?? Infinity) <= (at['gateway:test'] ?? 0), JSON.stringify(at));
  });

  it('a second run skips what is up to date; a broken test fails the run, named', async () => {
    const again = await poly(['run', 'test']);
    assert.match(again, /✓ gateway:test +skipped \(up to date\)/);
    assert.match(again, /✓ gen +skipped \(up to date\)/);
    const broken = join(root, 'services', 'gateway', 'broken_test.go');
    writeFileSync(
      broken,
      'package main\n\nimport "testing"\n\nfunc TestBroken(t *testing.T) { t.Fatal("broken on purpose") }\n',
    );
    const failed = await poly(['run', 'test', '--service', 'gateway', '--service', 'catalog'], 1);
    assert.match(failed, /error: 1 of 3 tasks failed: gateway:test/);
    assert.match(failed, /^gateway:test +\| .*broken on purpose/m);
    assert.match(failed, /✓ catalog:test .* passed/);
    rmSync(broken);
  });

  it('a task that depends on a service starts it, and stops it afterwards', async () => {
    const out = await poly(['run', 'smoke']);
    assert.match(out, /^smoke \| smoke says Hello from web!$/m);
    await waitFor('web stopped', () => processesWithToken(token).length === 0, 20_000);
  });

  it('Ctrl-C stops the task and the service it started, leaving no process', async () => {
    const child = spawn(process.execPath, [POLY_BIN, 'run', 'hold'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    try {
      await waitFor('the task and the service', () => out.includes('hold | holding'), 120_000);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    assert.ok(processesWithToken(token).length >= 2, 'the service and the task run');
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 130, out);
    assert.deepEqual(processesWithToken(token), []);
  });
});
