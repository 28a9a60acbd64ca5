import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PolyError } from '../../../src/core/errors.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { parseRuntimeArgument, pinFromText, splitPin } from '../../../src/core/versions/pin.js';
import { parseSpec } from '../../../src/core/versions/spec.js';
import { parseTarget } from '../../../src/services/install/install.js';
import { parsePinArgument } from '../../../src/services/install/use.js';

const usage = (message: RegExp) => (err: unknown) =>
  err instanceof PolyError && err.exitCode === 2 && message.test(err.message);

describe('one pin parser', () => {
  it('takes a Java distribution apart only before a version or an alias', () => {
    assert.deepEqual(splitPin('java', 'temurin-21'), { spec: '21', distribution: 'temurin' });
    assert.deepEqual(splitPin('java', 'zulu-17.0.2+8'), { spec: '17.0.2+8', distribution: 'zulu' });
    assert.deepEqual(splitPin('java', 'temurin-lts'), { spec: 'lts', distribution: 'temurin' });
    assert.deepEqual(splitPin('java', 'lts'), { spec: 'lts' });
    assert.deepEqual(splitPin('java', '>=17 <22'), { spec: '>=17 <22' });
    assert.deepEqual(splitPin('java', ' 21 '), { spec: '21' });
  });

  it("reads node's npm: prefix as the npm source, and nothing else as a prefix", () => {
    assert.deepEqual(splitPin('node', 'npm:22'), { spec: '22', source: 'npm' });
    assert.deepEqual(splitPin('node', 'lts/iron'), { spec: 'lts/iron' });
    assert.deepEqual(splitPin('go', 'go1.23'), { spec: 'go1.23' });
  });

  it('gives poly.toml, `poly use`, `poly install` and resolution the same pin', () => {
    const written = [
      'java@temurin-21',
      'node@npm:22',
      'rust@nightly-2024-05-01',
      'python@>=3.11 <3.13',
      'go',
    ];
    for (const arg of written) {
      const fromInstall = parseTarget(arg);
      const { runtime, spec } = parsePinArgument(arg);
      const manifest = parseManifest(`[runtimes]\n${runtime} = ${JSON.stringify(spec)}\n`, '/p/poly.toml');
      assert.deepEqual(manifest.runtimes[runtime], fromInstall, arg);
      const parsed = parseSpec(runtime, spec);
      assert.equal(parsed.raw, fromInstall.spec, arg);
      assert.equal(parsed.distribution, fromInstall.distribution, arg);
    }
  });

  it('defaults Java to Temurin wherever a pin is read', () => {
    assert.deepEqual(pinFromText('java', '21'), { runtime: 'java', spec: '21', distribution: 'temurin' });
    assert.deepEqual(parseTarget('java@21'), { runtime: 'java', spec: '21', distribution: 'temurin' });
    assert.equal(parseSpec('java', '21').distribution, 'temurin');
  });

  it('refuses the same bad arguments for `use` and `install`, as usage errors', () => {
    for (const parse of [parseTarget, parsePinArgument]) {
      assert.throws(() => parse('nod@22'), usage(/unknown runtime "nod".*Did you mean "node"\?/));
      assert.throws(() => parse('node@'), usage(/"node@" names no version after "@"/));
      assert.throws(() => parse('node@22..1'), usage(/invalid version spec "22\.\.1" for node/));
      assert.throws(() => parse('java@temurin-'), usage(/invalid version spec "temurin-" for java/));
    }
  });

  it('reads a bare runtime name as its latest version', () => {
    assert.deepEqual(parseRuntimeArgument('python'), {
      runtime: 'python',
      written: 'latest',
      pin: { runtime: 'python', spec: 'latest' },
    });
  });
});
