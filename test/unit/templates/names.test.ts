import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PolyError } from '../../../src/core/errors.js';
import { assertServiceName, nameForms, serviceNameProblem } from '../../../src/core/templates/names.js';

describe('service names', () => {
  it('accepts kebab-case names that start with a letter', () => {
    for (const name of ['api', 'orders-api', 'a1', 'web2-edge-3', 'x'.repeat(63)]) {
      assert.equal(serviceNameProblem(name), undefined, name);
    }
  });

  it('refuses names that some language or tool cannot hold', () => {
    const cases: Record<string, RegExp> = {
      '': /empty/,
      Api: /lowercase letter/,
      '1api': /lowercase letter/,
      '-api': /lowercase letter/,
      'api-': /ends with a separator/,
      api_: /ends with a separator/,
      'my--api': /two separators in a row/,
      'my_-api': /two separators in a row/,
      'my.api': /lowercase letters, digits and single dashes or underscores/,
      'my api': /lowercase letters, digits and single dashes or underscores/,
      ['a'.repeat(64)]: /longer than 63/,
    };
    for (const [name, why] of Object.entries(cases)) {
      assert.match(serviceNameProblem(name) ?? 'accepted', why, JSON.stringify(name));
    }
  });

  it('refuses reserved words of Rust, Python, Java, Go and JavaScript', () => {
    for (const word of [
      'fn',
      'crate',
      'def',
      'lambda',
      'class',
      'package',
      'func',
      'chan',
      'function',
      'await',
    ]) {
      assert.match(serviceNameProblem(word) ?? 'accepted', /reserved word/, word);
    }
  });

  it('checks the snake and flat forms too, since those become identifiers', () => {
    // "type" is not the name, but no form of "my-type" is reserved; "self" as a whole is.
    assert.equal(serviceNameProblem('my-type'), undefined);
    assert.match(serviceNameProblem('self') ?? '', /reserved/);
  });

  it('refuses, per runtime, names that would shadow the standard library', () => {
    assert.match(serviceNameProblem('json', 'python') ?? '', /shadow/);
    assert.match(serviceNameProblem('http', 'python') ?? '', /shadow/);
    assert.equal(serviceNameProblem('json', 'go'), undefined);
    assert.match(serviceNameProblem('std', 'rust') ?? '', /shadow/);
    assert.match(serviceNameProblem('proc-macro', 'rust') ?? '', /shadow/);
  });

  it('throws a usage error with a hint', () => {
    assert.throws(
      () => assertServiceName('My_Api'),
      (err: unknown) => err instanceof PolyError && err.exitCode === 2 && /orders-api/.test(err.hint ?? ''),
    );
  });
});

describe('nameForms', () => {
  it('writes a name in each convention', () => {
    assert.deepEqual(nameForms('orders-api-v2'), {
      kebab: 'orders-api-v2',
      snake: 'orders_api_v2',
      pascal: 'OrdersApiV2',
      camel: 'ordersApiV2',
      flat: 'ordersapiv2',
      upper: 'ORDERS_API_V2',
    });
    assert.equal(nameForms('api').pascal, 'Api');
  });
});
