import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isPolyError } from '../../../src/core/errors.js';
import { planFiles } from '../../../src/core/templates/copy.js';
import { loadTemplate } from '../../../src/core/templates/load.js';
import { resolveOptions } from '../../../src/core/templates/render.js';
import { applyVariant, selectVariant } from '../../../src/core/templates/variants.js';
import { templateToml } from '../../helpers/template-fixture.js';

const BASE = templateToml();

const made: string[] = [];
function template(toml: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'poly-variant-'));
  made.push(dir);
  writeFileSync(join(dir, 'template.toml'), toml);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function invalid(toml: string, files: Record<string, string>, message: RegExp): void {
  assert.throws(
    () => loadTemplate(template(toml, files)),
    (err: unknown) => isPolyError(err) && err.code === 'TEMPLATE_INVALID' && message.test(err.message),
  );
}

describe('template variants ([with.<choice>] + with/<choice>/)', () => {
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('the overlay replaces and adds files, is substituted like the base, and the base never carries it', () => {
    const dir = template(`${BASE}\n[with.postgres]\ndescription = "with pg"\ntest = "node --test --db"\n`, {
      'src/app.js': 'base hello-app',
      'src/keep.js': 'kept hello-app',
      'with/postgres/src/app.js': 'variant hello-app',
      'with/postgres/src/db.js': 'db of hello-app',
    });
    const base = loadTemplate(dir);
    const values = resolveOptions(base, { name: 'orders', port: 3000 });
    assert.deepEqual(
      planFiles(base, values).map((f) => [f.target, f.content.toString()]),
      [
        ['src/app.js', 'base orders'],
        ['src/keep.js', 'kept orders'],
      ],
    );
    const variant = applyVariant(base, selectVariant(base, 'postgres'));
    assert.equal(variant.test, 'node --test --db');
    assert.deepEqual(
      planFiles(variant, values).map((f) => [f.target, f.content.toString()]),
      [
        ['src/app.js', 'variant orders'],
        ['src/db.js', 'db of orders'],
        ['src/keep.js', 'kept orders'],
      ],
    );
    assert.equal(selectVariant(base, undefined), undefined);
  });

  it('an unknown --with names the choices; a template without variants says it has none', () => {
    const withPg = loadTemplate(
      template(`${BASE}\n[with.postgres]\ndescription = "x"\n`, { 'with/postgres/a.js': '' }),
    );
    assert.throws(
      () => selectVariant(withPg, 'mongo'),
      (err: unknown) =>
        isPolyError(err) &&
        err.code === 'UNKNOWN_VARIANT' &&
        err.exitCode === 2 &&
        /has no variant "mongo"; --with takes "postgres"/.test(err.message),
    );
    const plain = loadTemplate(template(BASE, {}));
    assert.throws(
      () => selectVariant(plain, 'postgres'),
      (err: unknown) => isPolyError(err) && /\(it has none\)/.test(err.message),
    );
  });

  it('refuses a choice poly does not know, a missing overlay, a missing description and unknown keys', () => {
    invalid(`${BASE}\n[with.mongo]\ndescription = "x"\n`, { 'with/mongo/a.js': '' }, /poly knows no "mongo"/);
    invalid(`${BASE}\n[with.postgres]\ndescription = "x"\n`, {}, /needs its overlay folder with\/postgres\//);
    invalid(`${BASE}\n[with.postgres]\n`, { 'with/postgres/a.js': '' }, /description must be a non-empty/);
    invalid(
      `${BASE}\n[with.postgres]\ndescription = "x"\nport = 1\n`,
      { 'with/postgres/a.js': '' },
      /unknown key "port"/,
    );
  });
});
