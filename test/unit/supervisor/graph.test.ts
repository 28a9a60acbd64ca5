import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPolyError } from '../../../src/core/errors.js';
import { selectServices, startWaves, stopWaves } from '../../../src/core/supervisor/graph.js';
import { restartDelay } from '../../../src/core/supervisor/status.js';

const graph = {
  web: { dependsOn: ['api'] },
  api: { dependsOn: ['db', 'cache'] },
  db: { dependsOn: [] },
  cache: { dependsOn: [] },
  docs: { dependsOn: [] },
};

describe('service graph', () => {
  it('selects the named services and their dependencies, in manifest order', () => {
    assert.deepEqual(selectServices(graph, ['api']), ['api', 'db', 'cache']);
    assert.deepEqual(selectServices(graph, []), ['web', 'api', 'db', 'cache', 'docs']);
  });
  it('orders start waves by dependency and stops in reverse', () => {
    const all = selectServices(graph, []);
    assert.deepEqual(startWaves(graph, all), [['db', 'cache', 'docs'], ['api'], ['web']]);
    assert.deepEqual(stopWaves(graph, all), [['web'], ['api'], ['db', 'cache', 'docs']]);
  });
  it('names a cycle', () => {
    const cyclic = { a: { dependsOn: ['b'] }, b: { dependsOn: ['c'] }, c: { dependsOn: ['a'] } };
    assert.throws(
      () => selectServices(cyclic, []),
      (err: unknown) => isPolyError(err) && err.message === 'depends_on cycle: a -> b -> c -> a',
    );
  });
  it('suggests a name for a typo', () => {
    assert.throws(
      () => selectServices(graph, ['dbb']),
      (err: unknown) =>
        isPolyError(err) &&
        err.code === 'UNKNOWN_SERVICE' &&
        err.message === 'poly.toml has no service "dbb". Did you mean "db"?' &&
        err.hint === `Services: ${Object.keys(graph).join(', ')}.`,
    );
  });
});

describe('restart backoff', () => {
  it('doubles from 250 ms up to 30 s', () => {
    assert.deepEqual([1, 2, 3, 4].map(restartDelay), [250, 500, 1000, 2000]);
    assert.equal(restartDelay(20), 30_000);
  });
});
