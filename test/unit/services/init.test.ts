import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PolyError } from '../../../src/core/errors.js';
import { editManifestSource } from '../../../src/core/manifest/edit.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { planInit, renderInitManifest, writeInitManifest } from '../../../src/services/init.js';
import { tempHome } from '../../helpers/poly-cli.js';

describe('init service', () => {
  const home = tempHome();
  after(home.cleanup);

  it('renders only the selected runtimes, each with its source, and the result validates', () => {
    const dir = join(home.dir, 'shop');
    mkdirSync(dir);
    writeFileSync(join(dir, '.nvmrc'), 'lts/*\n');
    writeFileSync(join(dir, '.sdkmanrc'), 'java=21.0.2-tem\n');
    writeFileSync(join(dir, '.go-version'), '1.23.2\n');
    const plan = planInit(dir);
    const text = renderInitManifest(plan, ['node', 'java']);
    assert.match(text, /^node = "lts"\s+# from \.nvmrc \(lts\/\*\)$/m);
    assert.match(text, /^java = "temurin-21\.0\.2"\s+# from \.sdkmanrc \(java=21\.0\.2-tem\)$/m);
    assert.doesNotMatch(text, /^go =/m);
    const m = parseManifest(text, join(dir, 'poly.toml'));
    assert.deepEqual(Object.keys(m.runtimes), ['node', 'java']);
    assert.equal(m.project.name, 'shop');

    const result = writeInitManifest(plan, ['node', 'java']);
    assert.deepEqual(
      result.declined.map((p) => p.runtime),
      ['go'],
    );
    assert.throws(
      () => planInit(dir),
      (err: unknown) => err instanceof PolyError && err.code === 'MANIFEST_EXISTS',
    );
  });

  it('leaves [runtimes] last, so a pin added later lands under the hint, not below other comments', () => {
    const dir = join(home.dir, 'empty');
    mkdirSync(dir);
    const text = renderInitManifest(planInit(dir), []);
    const edited = editManifestSource(text, join(dir, 'poly.toml'), (doc) => {
      (doc.runtimes as Record<string, unknown>).python = '3.12';
    });
    assert.match(
      edited,
      /\[runtimes\]\n# No version files found\. .*\n# node = "22"\n\n?python = "3\.12"\n$/,
    );
  });

  it('quotes an unusual folder name safely', () => {
    const dir = join(home.dir, 'my "odd" project');
    mkdirSync(dir);
    const text = renderInitManifest(planInit(dir), []);
    assert.equal(parseManifest(text, join(dir, 'poly.toml')).project.name, 'my "odd" project');
  });
});
