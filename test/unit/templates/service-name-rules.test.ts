import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { nameForms, serviceNameProblem } from '../../../src/core/templates/names.js';
import { REPO_ROOT } from '../../helpers/poly-cli.js';

// #17 messages: the service-name rules of poly.toml, project.example.toml and `poly new` agree.
describe('service names: one set of characters everywhere', () => {
  const accepted = (name: string) => {
    try {
      parseManifest(`[services.${name}]\nrun = "true"\n`, '/p/poly.toml');
      return true;
    } catch {
      return false;
    }
  };

  it('a name with underscores is taken by poly new as poly.toml takes it', () => {
    assert.equal(accepted('orders_api'), true);
    assert.equal(serviceNameProblem('orders_api'), undefined);
    assert.deepEqual(nameForms('orders_api'), {
      kebab: 'orders_api',
      snake: 'orders_api',
      pascal: 'OrdersApi',
      camel: 'ordersApi',
      flat: 'ordersapi',
      upper: 'ORDERS_API',
    });
  });

  it('every name poly new takes, poly.toml takes too', () => {
    for (const name of ['api', 'orders-api', 'orders_api', 'a1_b2-c3', 'x'.repeat(63)]) {
      assert.equal(serviceNameProblem(name), undefined, name);
      assert.equal(accepted(name), true, name);
    }
  });

  it('project.example.toml states the same characters', () => {
    const text = readFileSync(join(REPO_ROOT, 'project.example.toml'), 'utf8');
    assert.match(text, /names in lowercase a-z, 0-9, - and _/);
  });
});
