import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isPolyError } from '../../../src/core/errors.js';
import { loadTemplate } from '../../../src/core/templates/load.js';
import { templateToml } from '../../helpers/template-fixture.js';

describe("a template's versions range", () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const load = (versions: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'poly-template-range-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'template.toml'), templateToml(versions));
    return loadTemplate(dir);
  };

  for (const range of ['>=20', '^3.12', '~1.2.3', '17', '>=1.2 <2', '1.x', '>= 1', '*'])
    it(`accepts ${range}`, () => assert.equal(load(range).versions, range));

  // Ones the plain-comparator shortcut must not wave through: semver refuses each.
  for (const range of ['>=01.2', '>=1.2.3.4', '>=nope', 'twenty'])
    it(`refuses ${range}, naming the file`, () =>
      assert.throws(
        () => load(range),
        (err: unknown) =>
          isPolyError(err) &&
          err.code === 'TEMPLATE_INVALID' &&
          err.message.includes('template.toml') &&
          err.message.includes(`versions "${range}" is not a semver range`),
      ));
});
