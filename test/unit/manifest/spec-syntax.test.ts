import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitionAt, firstDefinitionLine, rawValueAt } from '../../../src/core/manifest/locate.js';
import { acceptedSpecForms, isValidSpec } from '../../../src/core/manifest/spec-syntax.js';
import { didYouMean, editDistance } from '../../../src/core/text/did-you-mean.js';

describe('version spec syntax', () => {
  it('accepts exact, prefix, range and the aliases of each runtime', () => {
    for (const spec of [
      '22',
      '22.11.0',
      'v20',
      '^20.10',
      '>=20 <23',
      '20.x',
      'latest',
      'lts',
      'lts/iron',
      'system',
    ])
      assert.ok(isValidSpec('node', spec), spec);
    for (const spec of ['stable', 'beta', 'nightly', 'nightly-2024-05-01', '1.82'])
      assert.ok(isValidSpec('rust', spec), spec);
    assert.ok(isValidSpec('python', '3.13.0rc1'));
    assert.ok(isValidSpec('java', '21.0.2+13'));
  });
  it('refuses malformed specs and aliases of other runtimes', () => {
    for (const spec of ['', '22..1', 'twenty', '>=3.11 <<3.13', '22; rm -rf /', 'lts/'])
      assert.equal(isValidSpec('node', spec), false, spec);
    assert.equal(isValidSpec('python', 'lts'), false);
    assert.equal(isValidSpec('go', 'stable'), false);
  });
  it('names the accepted forms per runtime', () => {
    assert.match(acceptedSpecForms('java'), /"temurin-21"/);
    assert.match(acceptedSpecForms('rust'), /stable, beta, nightly/);
  });
});

describe('locate helpers', () => {
  const source = '[runtimes]\nnode = "22"  # pinned\n\n[services.api]\nrun = "x"\n';
  it('says what a line defines', () => {
    assert.deepEqual(definitionAt(source, 2), {
      line: 2,
      column: 1,
      kind: 'key',
      path: ['runtimes', 'node'],
    });
    assert.deepEqual(definitionAt(source, 4), {
      line: 4,
      column: 1,
      kind: 'table',
      path: ['services', 'api'],
    });
    assert.equal(definitionAt(source, 3), undefined);
  });
  it('finds the first clashing definition', () => {
    assert.equal(firstDefinitionLine(source, ['runtimes', 'node'], 5), 2);
    assert.equal(firstDefinitionLine(source, ['services', 'api'], 4), undefined);
  });
  it('quotes a raw value without its comment', () => {
    assert.equal(rawValueAt(source, 2), '"22"');
  });
});

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('rsut', 'rust'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(didYouMean('nmae', ['name', 'mode']), 'name');
    assert.equal(didYouMean('zzzz', ['name', 'mode']), undefined);
  });
});

describe('range grammar (checked without semver)', () => {
  it('accepts what node-semver accepts', () => {
    for (const spec of [
      '^20.10',
      '~1.2.3',
      '>=3.11 <3.13',
      '>= 3.11',
      '1.x',
      '*',
      '1.2 - 1.4',
      '^18 || ^20',
      '~1.2.3-rc.1',
    ])
      assert.ok(isValidSpec('node', spec), spec);
  });
  it('refuses what it does not', () => {
    for (const spec of ['>=3.11 <<3.13', '^', '1.2 -', '|| ^20', '>=a', '1..2'])
      assert.equal(isValidSpec('node', spec), false, spec);
  });
});
