import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'smol-toml';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';
import { type PostgresMirror, startPostgresMirror } from '../../helpers/mirror/postgres.js';
import { sql } from '../../helpers/postgres-project.js';
import { processesWithToken, waitFor } from '../../helpers/services-project.js';
import { freePort, runPoly, templatesPolyHome, testCacheDir } from '../../helpers/templates-e2e.js';

interface Case {
  template: string;
  name: string;
  args?: string[];
}

const CASES: Case[] = [
  { template: 'fastapi', name: 'catalog' },
  { template: 'axum', name: 'orders' },
  { template: 'express', name: 'web' },
  { template: 'go-http', name: 'gateway', args: ['--set', 'module=github.com/acme/gateway'] },
  { template: 'actix-web', name: 'billing' },
  { template: 'spring-boot', name: 'accounts', args: ['--set', 'package=org.acme.accounts'] },
];

/**
 * `poly new <template> <name> --with postgres` for every template, in one project: the
 * first adds [services.db] (use = "postgres@16"), the others reuse it. Each service's own
 * tests run through `poly run <name>:test`, whose `service:db` dependency starts the real
 * PostgreSQL (from the local mirror of the real binaries) for them and stops it after;
 * then `poly up -d` brings all of them up and each writes a row over HTTP and reads it back.
 * Toolchains come from the local mirror, dependencies from the package registries; the
 * caches the other template tests warm (cargo's target dir, ~/.m2, ~/.cache/pip, ...) are shared.
 */
describe('poly new <template> --with postgres, for real', { timeout: 45 * 60_000 }, () => {
  const base = mkdtempSync(join(tmpdir(), 'poly-withpg-'));
  const root = join(base, 'project');
  const token = `withpg-${process.pid}-${Date.now()}`;
  const times: string[] = [];
  let mirror: Mirror;
  let pg: PostgresMirror;
  let env: NodeJS.ProcessEnv;
  const ports = new Map<string, number>();
  const poly = async (args: string[], cwd = root) => {
    const result = await runPoly(args, cwd, env);
    assert.equal(result.exitCode, 0, `poly ${args.join(' ')} failed:\n${result.all}`);
    return result;
  };

  before(async () => {
    [mirror, pg] = await Promise.all([startMirror(), startPostgresMirror()]);
    mkdirSync(root, { recursive: true });
    // Java 17: the local mirror serves this machine's JDKs (see six-templates.test.ts).
    writeFileSync(join(root, 'poly.toml'), '[project]\nname = "shop"\n');
    env = {
      ...process.env,
      ...mirror.env,
      ...pg.env,
      POLY_HOME: templatesPolyHome(join(base, 'home')),
      POLY_CONFIG_DIR: join(base, 'config'),
      CARGO_TARGET_DIR: join(testCacheDir(), 'cargo-target'),
      POLY_TEST_TOKEN: token,
      // The HTTPS proxy is machine-wide: only the proxy tests turn it on (with ports of their own).
      POLY_PROXY: 'off',
      NO_COLOR: '1',
    };
    await poly(['use', 'java@17']);
  });
  after(async () => {
    await runPoly(['down'], root, env).catch(() => undefined);
    await Promise.all([mirror?.close(), pg?.close()]);
    rmSync(base, { recursive: true, force: true });
    console.log(`with postgres, per template (poly new + poly run <name>:test):\n${times.join('\n')}`);
  });

  it('an unknown --with value is refused, naming the choices, and poly.toml is left as it was', async () => {
    const before = readFileSync(join(root, 'poly.toml'), 'utf8');
    const result = await runPoly(['new', 'fastapi', 'nope', '--with', 'mongo'], root, env);
    assert.equal(result.exitCode, 2, result.all);
    assert.match(result.stderr, /template fastapi has no variant "mongo"; --with takes "postgres"/);
    assert.equal(readFileSync(join(root, 'poly.toml'), 'utf8'), before);
  });

  for (const [i, c] of CASES.entries()) {
    it(`poly new ${c.template} ${c.name} --with postgres; poly run ${c.name}:test passes against the real database`, async () => {
      const started = Date.now();
      const port = await freePort();
      ports.set(c.name, port);
      const created = JSON.parse(
        (
          await poly([
            'new',
            c.template,
            c.name,
            '--with',
            'postgres',
            '--port',
            String(port),
            '--json',
            ...(c.args ?? []),
          ])
        ).stdout,
      ) as { database: { service: string; added: boolean }; test: string };
      assert.deepEqual(
        created.database,
        { service: 'db', added: i === 0 },
        'the first adds db, the rest reuse it',
      );
      // Through JSON: smol-toml's tables have no prototype, which deepEqual tells apart.
      const manifest = JSON.parse(JSON.stringify(parse(readFileSync(join(root, 'poly.toml'), 'utf8')))) as {
        services: Record<string, Record<string, unknown>>;
      };
      assert.deepEqual(manifest.services.db, { use: 'postgres@16' });
      const service = manifest.services[c.name] as Record<string, unknown>;
      // biome-ignore lint/suspicious/noTemplateCurlyInString: poly's ${NAME} interpolation, written literally
      assert.deepEqual(service.env, { DATABASE_URL: '${DB_URL}' });
      assert.deepEqual(service.depends_on, ['db']);
      assert.deepEqual((service.tasks as Record<string, unknown>).test, {
        run: created.test,
        depends: ['service:db'],
      });
      const newMs = Date.now() - started;

      const run = await runPoly(['run', `${c.name}:test`], root, env);
      assert.equal(run.exitCode, 0, `poly run ${c.name}:test failed:\n${run.all}`);
      times.push(
        `  ${c.template.padEnd(12)} new ${(newMs / 1000).toFixed(1)}s, test ${((Date.now() - started - newMs) / 1000).toFixed(1)}s`,
      );
    });
  }

  it('poly up -d: every service writes a row to the shared database over HTTP and reads it back', async () => {
    assert.equal(ports.size, CASES.length, 'every poly new above succeeded');
    const up = JSON.parse((await poly(['up', '-d', '--json'])).stdout) as {
      services: Array<{ name: string; state: string; url?: string }>;
    };
    assert.deepEqual(
      up.services.map((s) => [s.name, s.state]).sort(),
      [...CASES.map((c) => [c.name, 'healthy']), ['db', 'healthy']].sort(),
    );
    for (const c of CASES) {
      const url = `http://127.0.0.1:${ports.get(c.name)}`;
      const name = `from ${c.name} ${token}`;
      const created = await fetch(`${url}/api/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
        signal: AbortSignal.timeout(10_000),
      });
      assert.equal(created.status, 201, `${c.name} POST /api/items: ${await created.clone().text()}`);
      const item = (await created.json()) as { id: number; name: string };
      assert.equal(item.name, name);
      const read = await fetch(`${url}/api/items/${item.id}`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(read.status, 200, `${c.name} GET /api/items/${item.id}`);
      assert.deepEqual(await read.json(), { id: item.id, name });
      const missing = await fetch(`${url}/api/items/987654321`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(missing.status, 404, `${c.name}: a missing row is 404`);
    }
    // The rows are in PostgreSQL itself, not in the services' memory.
    const dbUrl = (await poly(['db', 'url', 'db'])).stdout.trim();
    const rows = await sql(dbUrl, `SELECT name FROM items WHERE name LIKE '% ${token}' ORDER BY name`);
    assert.deepEqual(
      rows.map((r) => r.name),
      CASES.map((c) => `from ${c.name} ${token}`).sort(),
    );
    await poly(['down']);
    await waitFor('no process left', () => processesWithToken(token).length === 0, 20_000);
  });
});
