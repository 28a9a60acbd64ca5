import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PolyError } from '../../../src/core/errors.js';
import { renderExpression, replaceLiterals, resolveOptions } from '../../../src/core/templates/render.js';
import type { TemplateSpec } from '../../../src/core/templates/types.js';

function template(options: TemplateSpec['options'], runtime: TemplateSpec['runtime'] = 'java'): TemplateSpec {
  return {
    name: 'fixture',
    description: 'd',
    runtime,
    versions: '>=17',
    pin: '21',
    run: 'run',
    test: 'test',
    health: '/health',
    install: [],
    options: [
      { key: 'name', kind: 'name', description: '', default: 'hello' },
      { key: 'port', kind: 'port', description: '', default: 8080 },
      ...options,
    ],
    substitutions: [],
    renames: [],
    dir: '/nowhere',
    variants: {},
  };
}

describe('renderExpression', () => {
  const values = { name: 'orders-api', port: '8100', package: 'com.example.ordersapi' };

  it('renders each convention of an option', () => {
    assert.equal(renderExpression('{{name}}', values), 'orders-api');
    assert.equal(renderExpression('{{name.snake}}', values), 'orders_api');
    assert.equal(renderExpression('{{name.pascal}}Application', values), 'OrdersApiApplication');
    assert.equal(renderExpression('{{name.camel}}', values), 'ordersApi');
    assert.equal(renderExpression('{{name.flat}}', values), 'ordersapi');
    assert.equal(renderExpression('{{name.upper}}_URL', values), 'ORDERS_API_URL');
    assert.equal(
      renderExpression('src/main/java/{{package.path}}', values),
      'src/main/java/com/example/ordersapi',
    );
    assert.equal(renderExpression('{{ port }}', values), '8100');
  });

  it('rejects unknown options and forms', () => {
    assert.throws(() => renderExpression('{{nope}}', values), /no option "nope"/);
    assert.throws(() => renderExpression('{{name.shouting}}', values), /unknown form "shouting"/);
  });
});

describe('replaceLiterals', () => {
  it('replaces the longest literal first, in one pass', () => {
    const text = 'package com.example.hello; // hello, HelloApplication';
    const out = replaceLiterals(text, {
      'com.example.hello': 'org.acme.api',
      HelloApplication: 'ApiApplication',
      hello: 'api',
    });
    assert.equal(out, 'package org.acme.api; // api, ApiApplication');
  });

  it('never re-replaces inserted text', () => {
    // The port 3000 must not be replaced inside a name that happens to contain it.
    assert.equal(replaceLiterals('hello 3000', { hello: 'api-3000', '3000': '4000' }), 'api-3000 4000');
  });
});

describe('resolveOptions', () => {
  const java = template([
    { key: 'package', kind: 'java-package', description: '', default: 'com.example.{{name.flat}}' },
  ]);

  it('fills defaults from the name', () => {
    assert.deepEqual(resolveOptions(java, { name: 'orders-api', port: 8100 }), {
      name: 'orders-api',
      port: '8100',
      package: 'com.example.ordersapi',
    });
  });

  it('takes --set values and checks them in their language', () => {
    assert.equal(
      resolveOptions(java, { name: 'api', port: 1, set: { package: 'org.acme.api' } }).package,
      'org.acme.api',
    );
    for (const bad of ['org.acme.class', 'Org.acme', 'org..acme', 'org.1acme', 'org.acme-api']) {
      assert.throws(
        () => resolveOptions(java, { name: 'api', port: 1, set: { package: bad } }),
        /Java package/,
        bad,
      );
    }
  });

  it('checks Go module paths', () => {
    const go = template(
      [{ key: 'module', kind: 'go-module', description: '', default: 'example.com/{{name}}' }],
      'go',
    );
    assert.equal(resolveOptions(go, { name: 'api', port: 1 }).module, 'example.com/api');
    assert.equal(
      resolveOptions(go, { name: 'api', port: 1, set: { module: 'github.com/acme/api' } }).module,
      'github.com/acme/api',
    );
    assert.throws(
      () => resolveOptions(go, { name: 'api', port: 1, set: { module: '/abs/path' } }),
      /Go module/,
    );
    assert.throws(() => resolveOptions(go, { name: 'api', port: 1, set: { module: 'a b' } }), /Go module/);
  });

  it('refuses unknown options, and name or port through --set', () => {
    assert.throws(
      () => resolveOptions(java, { name: 'api', port: 1, set: { packge: 'x' } }),
      (err: unknown) =>
        err instanceof PolyError && /no option "packge"/.test(err.message) && /package/.test(err.hint ?? ''),
    );
    assert.throws(() => resolveOptions(java, { name: 'api', port: 1, set: { port: '9' } }), /--port/);
  });

  it('validates the name for the template runtime', () => {
    const python = template([], 'python');
    assert.throws(() => resolveOptions(python, { name: 'json', port: 1 }), /shadow/);
  });
});
