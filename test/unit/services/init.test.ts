import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PolyError } from '../../../src/core/errors.js';
import { editManifestSource } from '../../../src/core/manifest/edit.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { planInit, selectEverything, writeInit } from '../../../src/services/new/init.js';
import { tempHome } from '../../helpers/poly-cli.js';

describe('init service', () => {
  const home = tempHome();
  after(home.cleanup);

  it('writes only the selected runtimes, each with its source, and the result validates', async () => {
    const dir = join(home.dir, 'shop');
    mkdirSync(dir);
    writeFileSync(join(dir, '.nvmrc'), 'lts/*\n');
    writeFileSync(join(dir, '.sdkmanrc'), 'java=21.0.2-tem\n');
    writeFileSync(join(dir, '.go-version'), '1.23.2\n');
    const plan = await planInit(dir);
    const dry = writeInit(plan, { runtimes: ['node', 'java'], services: [] }, { dryRun: true });
    assert.equal(dry.written, false);
    assert.throws(() => readFileSync(join(dir, 'poly.toml')), /ENOENT/);
    const text = dry.manifest;
    assert.match(text, /^node = "lts"\s+# from \.nvmrc \(lts\/\*\)$/m);
    assert.match(text, /^java = "temurin-21\.0\.2"\s+# from \.sdkmanrc \(java=21\.0\.2-tem\)$/m);
    assert.doesNotMatch(text, /^go =/m);
    const m = parseManifest(text, join(dir, 'poly.toml'));
    assert.deepEqual(Object.keys(m.runtimes), ['node', 'java']);
    assert.equal(m.project.name, 'shop');

    const result = writeInit(plan, { runtimes: ['node', 'java'], services: [] });
    assert.equal(readFileSync(join(dir, 'poly.toml'), 'utf8'), text);
    assert.deepEqual(
      result.declined.runtimes.map((p) => p.runtime),
      ['go'],
    );
    await assert.rejects(
      () => planInit(dir),
      (err: unknown) => err instanceof PolyError && err.code === 'MANIFEST_EXISTS',
    );
  });

  it('leaves [runtimes] last when there are no services, so a pin added later lands under the hint', async () => {
    const dir = join(home.dir, 'empty');
    mkdirSync(dir);
    const plan = await planInit(dir);
    const text = writeInit(plan, selectEverything(plan), { dryRun: true }).manifest;
    const edited = editManifestSource(text, join(dir, 'poly.toml'), (doc) => {
      (doc.runtimes as Record<string, unknown>).python = '3.12';
    });
    assert.match(
      edited,
      /\[runtimes\]\n# No version files found\. .*\n# node = "22"\n\n?python = "3\.12"\n$/,
    );
  });

  it('quotes an unusual folder name safely', async () => {
    const dir = join(home.dir, 'my "odd" project');
    mkdirSync(dir);
    const plan = await planInit(dir);
    const text = writeInit(plan, selectEverything(plan), { dryRun: true }).manifest;
    assert.equal(parseManifest(text, join(dir, 'poly.toml')).project.name, 'my "odd" project');
  });
});
