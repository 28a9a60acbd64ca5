import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locateKey, splitKey } from '../../../src/core/manifest/locate.js';

describe('locateKey', () => {
  const source = [
    '[project]',
    'name = "shop"',
    '',
    '[runtimes]',
    'node = "22"',
    '',
    '[services.api]',
    'port = 3000',
    'health = { tcp = 99 }',
  ].join('\n');

  it('finds a key under its table header', () => {
    assert.deepEqual(locateKey(source, ['runtimes', 'node']), { line: 5, column: 1 });
  });
  it('finds a dotted table header', () => {
    assert.deepEqual(locateKey(source, ['services', 'api']), { line: 7, column: 1 });
  });
  it('finds a key inside an inline table', () => {
    assert.deepEqual(locateKey(source, ['services', 'api', 'health', 'tcp']), { line: 9, column: 12 });
  });
  it('falls back to the nearest enclosing table', () => {
    assert.deepEqual(locateKey(source, ['services', 'api', 'missing']), { line: 7, column: 1 });
  });
  it('splits quoted and dotted keys', () => {
    assert.deepEqual(splitKey('services."my.api" . port'), ['services', 'my.api', 'port']);
  });
});

describe('locateKey with unusual keys', () => {
  it('does not choke on regex characters in quoted keys', () => {
    const source = '[env]\nX = { "A(B" = 1, "c.d" = 2 }\n';
    assert.deepEqual(locateKey(source, ['env', 'X', 'A(B']), { line: 2, column: 7 });
    assert.deepEqual(locateKey(source, ['env', 'X', 'c.d']), { line: 2, column: 18 });
  });
});
