import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RuntimePin } from '../../../src/core/manifest/types.js';
import { runtimeFit, versionRange } from '../../../src/core/templates/versions.js';

const pin = (runtime: RuntimePin['runtime'], spec: string): RuntimePin => ({ runtime, spec });

describe('runtimeFit', () => {
  it('is unpinned when the project pins nothing', () => {
    assert.deepEqual(runtimeFit(undefined, '>=3.10'), { kind: 'unpinned' });
  });

  it('accepts pins whose every version is in range', () => {
    for (const spec of ['3.12', '3.10.4', '^3.11', '>=3.11 <3.14', '3']) {
      const range = spec === '3' ? '>=3.0' : '>=3.10';
      assert.equal(runtimeFit(pin('python', spec), range).kind, 'inside', spec);
    }
    assert.equal(runtimeFit(pin('java', 'temurin-21'), '>=17').kind, 'inside');
    assert.equal(runtimeFit(pin('rust', '1.89.0'), '>=1.89').kind, 'inside');
    assert.equal(runtimeFit(pin('node', 'v22.11.0'), '>=20').kind, 'inside');
  });

  it('refuses pins that allow versions outside the range', () => {
    assert.deepEqual(runtimeFit(pin('python', '3.9'), '>=3.10'), { kind: 'outside', spec: '3.9' });
    assert.equal(runtimeFit(pin('python', '3'), '>=3.10').kind, 'outside'); // 3.0 to 3.9 are allowed by "3"
    assert.equal(runtimeFit(pin('java', '11'), '>=17').kind, 'outside');
    assert.equal(runtimeFit(pin('rust', '1.82'), '>=1.85').kind, 'outside');
    assert.equal(runtimeFit(pin('node', '18'), '>=20').kind, 'outside');
  });

  it('cannot judge aliases offline', () => {
    for (const spec of ['stable', 'lts', 'latest', 'system']) {
      assert.equal(runtimeFit(pin('node', spec), '>=20').kind, 'unknown', spec);
    }
  });
});

describe('versionRange', () => {
  it('reads prefixes, exact versions and distributions', () => {
    assert.equal(versionRange('22'), '>=22.0.0 <23.0.0-0');
    assert.equal(versionRange('temurin-21'), '>=21.0.0 <22.0.0-0');
    assert.equal(versionRange('21.0.2+13'), '21.0.2');
    assert.equal(versionRange('lts'), undefined);
  });
});
