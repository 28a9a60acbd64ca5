import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parse } from 'smol-toml';
import { listTreeFiles } from '../../../src/core/templates/copy.js';
import { builtinTemplates } from '../../../src/core/templates/source.js';
import { makeProject, runPoly, type TempProject } from '../../helpers/templates-e2e.js';

const TEMPLATES = ['actix-web', 'axum', 'express', 'fastapi', 'go-http', 'spring-boot'];

/** poly.toml as plain objects (smol-toml's tables have no prototype, which deepEqual tells apart). */
function manifestOf(project: TempProject) {
  return JSON.parse(JSON.stringify(parse(readFileSync(join(project.root, 'poly.toml'), 'utf8')))) as {
    services: Record<string, Record<string, unknown>>;
  };
}

/**
 * `poly new --with postgres` through the real CLI, without installing dependencies
 * (`--no-install`; the variants' builds and tests against a real PostgreSQL are in
 * test/e2e/templates/with-postgres.test.ts): what lands in poly.toml and on disk.
 */
describe('poly new --with postgres: poly.toml and the merged tree', () => {
  let project: TempProject;
  const poly = async (...args: string[]) => {
    const result = await runPoly(args, project.root, project.env);
    assert.equal(result.exitCode, 0, `poly ${args.join(' ')}:\n${result.all}`);
    return result;
  };
  beforeEach(() => {
    project = makeProject('# hand written\n[project]\nname = "shop"  # keep me\n');
  });
  afterEach(() => project.cleanup());

  it('poly templates --json lists the postgres variant of all six; the text lists it too', async () => {
    const listed = JSON.parse((await poly('templates', '--json')).stdout) as Array<{
      name: string;
      with: Array<{ name: string; use: string }>;
    }>;
    assert.deepEqual(
      listed.map((t) => [t.name, t.with.map((w) => `${w.name}:${w.use}`)]),
      TEMPLATES.map((t) => [t, ['postgres:postgres@16']]),
    );
    assert.match((await poly('templates')).stdout, /--with postgres {2}PostgreSQL through sqlx/);
  });

  it('adds db and wires the service; a second --with postgres service reuses db', async () => {
    await poly('new', 'fastapi', 'catalog', '--with', 'postgres', '--no-install');
    const text = readFileSync(join(project.root, 'poly.toml'), 'utf8');
    assert.ok(text.startsWith('# hand written\n[project]\nname = "shop"  # keep me\n'), 'the rest is kept');
    let manifest = manifestOf(project);
    assert.deepEqual(manifest.services.db, { use: 'postgres@16' });
    assert.deepEqual(manifest.services.catalog?.depends_on, ['db']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: poly's ${NAME} interpolation, written literally
    assert.deepEqual(manifest.services.catalog?.env, { DATABASE_URL: '${DB_URL}' });
    assert.deepEqual((manifest.services.catalog?.tasks as Record<string, unknown> | undefined)?.test, {
      run: 'pytest',
      depends: ['service:db'],
    });
    const dir = join(project.root, 'services', 'catalog');
    assert.match(readFileSync(join(dir, 'pyproject.toml'), 'utf8'), /psycopg\[binary\]/, 'the overlay won');
    assert.match(readFileSync(join(dir, 'src', 'catalog', 'db.py'), 'utf8'), /DATABASE_URL/, 'renamed too');
    assert.match(readFileSync(join(dir, 'tests', 'test_app.py'), 'utf8'), /from catalog\.app import app/);
    assert.ok(!existsSync(join(dir, 'with')), 'no overlay folder is copied');

    const result = JSON.parse(
      (await poly('new', 'express', 'web', '--with', 'postgres', '--no-install', '--json')).stdout,
    ) as { database: unknown };
    assert.deepEqual(result.database, { service: 'db', added: false });
    manifest = manifestOf(project);
    assert.deepEqual(Object.keys(manifest.services).sort(), ['catalog', 'db', 'web']);
    assert.deepEqual(manifest.services.web?.depends_on, ['db']);
  });

  it("reuses the project's own PostgreSQL service whatever its name; a taken db name is skipped", async () => {
    writeFileSync(
      join(project.root, 'poly.toml'),
      '[project]\nname = "shop"\n\n[services.db]\nrun = "sleep 1000"\n\n[services.main-pg]\nuse = "postgres@16"\n',
    );
    await poly('new', 'go-http', 'gateway', '--with', 'postgres', '--no-install');
    const manifest = manifestOf(project);
    assert.deepEqual(Object.keys(manifest.services).sort(), ['db', 'gateway', 'main-pg']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: poly's ${NAME} interpolation, written literally
    assert.deepEqual(manifest.services.gateway?.env, { DATABASE_URL: '${MAIN_PG_URL}' });
    assert.deepEqual(manifest.services.gateway?.depends_on, ['main-pg']);

    writeFileSync(
      join(project.root, 'poly.toml'),
      '[project]\nname = "shop"\n\n[services.db]\nrun = "sleep 1000"\n',
    );
    await poly('new', 'axum', 'orders', '--with', 'postgres', '--no-install');
    const second = manifestOf(project);
    assert.deepEqual(second.services.postgres, { use: 'postgres@16' }, 'db is taken by another service');
    assert.deepEqual(second.services.orders?.depends_on, ['postgres']);
  });

  it('an unknown --with, or a failing edit, leaves poly.toml and the disk as they were', async () => {
    const before = readFileSync(join(project.root, 'poly.toml'), 'utf8');
    const unknown = await runPoly(['new', 'axum', 'api', '--with', 'mysql'], project.root, project.env);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /template axum has no variant "mysql"; --with takes "postgres"/);
    // The name db is the new service's own: the database is added as "postgres", and the
    // manifest stays valid; a service named like an existing one is refused before any write.
    writeFileSync(join(project.root, 'poly.toml'), `${before}\n[services.api]\nrun = "sleep 1000"\n`);
    const withApi = readFileSync(join(project.root, 'poly.toml'), 'utf8');
    const taken = await runPoly(
      ['new', 'axum', 'api', '--with', 'postgres', '--no-install'],
      project.root,
      project.env,
    );
    assert.equal(taken.exitCode, 2, taken.all);
    assert.match(taken.stderr, /already has a service named "api"/);
    assert.equal(readFileSync(join(project.root, 'poly.toml'), 'utf8'), withApi);
    assert.ok(
      !existsSync(join(project.root, 'services')) || readdirSync(join(project.root, 'services')).length === 0,
    );
  });

  it('the base trees never include their overlay; every overlay file lands in a tree path', () => {
    for (const template of builtinTemplates()) {
      const variant = template.variants.postgres;
      assert.ok(variant, `${template.name} has a postgres variant`);
      const overlay = listTreeFiles(variant.dir);
      assert.ok(overlay.length > 0);
      assert.ok(
        overlay.some((f) => /test/i.test(f)),
        `${template.name}'s variant brings its own tests`,
      );
    }
  });
});
