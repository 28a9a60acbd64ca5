import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareVersions, sortVersionsDesc, toSemver } from '../../../src/core/versions/compare.js';
import {
  type AvailableVersion,
  nearestVersions,
  resolveVersion,
} from '../../../src/core/versions/resolve.js';
import { parseSpec } from '../../../src/core/versions/spec.js';

const node: AvailableVersion[] = [
  { version: '23.3.0' },
  { version: '22.11.0', lts: 'Jod' },
  { version: '22.10.0' },
  { version: '22.9.0' },
  { version: '20.18.1', lts: 'Iron' },
  { version: '20.10.0', lts: 'Iron' },
  { version: '18.20.5', lts: 'Hydrogen' },
  { version: '24.0.0-rc.1' },
];
const resolve = (runtime: string, spec: string, list: AvailableVersion[], distribution?: string) =>
  resolveVersion(parseSpec(runtime, spec, distribution).spec, list);

describe('parseSpec', () => {
  it('tells exact versions from prefixes', () => {
    assert.deepEqual(parseSpec('node', '22.11.0').spec, { kind: 'version', version: '22.11.0', exact: true });
    assert.deepEqual(parseSpec('node', 'v22').spec, { kind: 'version', version: '22', exact: false });
    assert.deepEqual(parseSpec('go', '1.22').spec, { kind: 'version', version: '1.22', exact: false });
    assert.deepEqual(parseSpec('go', 'go1.22.0').spec, { kind: 'version', version: '1.22.0', exact: true });
  });
  it('reads aliases', () => {
    assert.deepEqual(parseSpec('node', 'latest').spec, { kind: 'latest' });
    assert.deepEqual(parseSpec('node', 'lts').spec, { kind: 'lts' });
    assert.deepEqual(parseSpec('node', 'lts/*').spec, { kind: 'lts' });
    assert.deepEqual(parseSpec('node', 'lts/Iron').spec, { kind: 'lts', codename: 'iron' });
    assert.deepEqual(parseSpec('rust', 'stable').spec, { kind: 'channel', channel: 'stable' });
    assert.deepEqual(parseSpec('rust', 'nightly').spec, { kind: 'channel', channel: 'nightly' });
    assert.deepEqual(parseSpec('python', 'stable').spec, { kind: 'latest' });
    assert.deepEqual(parseSpec('go', 'system').spec, { kind: 'system' });
  });
  it('reads ranges', () => {
    assert.deepEqual(parseSpec('node', '^20.10').spec, { kind: 'range', range: '^20.10' });
    assert.deepEqual(parseSpec('python', '>=3.11 <3.13').spec, { kind: 'range', range: '>=3.11 <3.13' });
  });
  it('splits the Java distribution off the spec', () => {
    assert.deepEqual(parseSpec('java', 'temurin-21'), {
      raw: '21',
      distribution: 'temurin',
      spec: { kind: 'version', version: '21', exact: false },
    });
    assert.equal(parseSpec('java', '21', 'temurin').distribution, 'temurin');
    assert.equal(parseSpec('java', '21').distribution, 'temurin');
    assert.deepEqual(parseSpec('java', '21.0.2+13').spec, {
      kind: 'version',
      version: '21.0.2+13',
      exact: true,
    });
  });
  it('reads glued pre-releases as exact versions', () => {
    assert.deepEqual(parseSpec('go', '1.21rc2').spec, { kind: 'version', version: '1.21rc2', exact: true });
  });
});

describe('resolveVersion', () => {
  it('exact', () => assert.equal(resolve('node', '22.10.0', node), '22.10.0'));
  it('exact that does not exist', () => assert.equal(resolve('node', '22.10.7', node), undefined));
  it('prefix takes the newest release of the line', () => {
    assert.equal(resolve('node', '22', node), '22.11.0');
    assert.equal(resolve('node', '20.18', node), '20.18.1');
  });
  it('prefix does not match a longer number', () => {
    assert.equal(resolve('node', '2', node), undefined);
  });
  it('semver range', () => {
    assert.equal(resolve('node', '^20.10', node), '20.18.1');
    assert.equal(resolve('node', '>=18 <21', node), '20.18.1');
    assert.equal(resolve('node', '~22.9', node), '22.9.0');
  });
  it('latest skips pre-releases', () => assert.equal(resolve('node', 'latest', node), '23.3.0'));
  it('lts and lts/<codename>', () => {
    assert.equal(resolve('node', 'lts', node), '22.11.0');
    assert.equal(resolve('node', 'lts/iron', node), '20.18.1');
    assert.equal(resolve('node', 'lts/hydrogen', node), '18.20.5');
    assert.equal(resolve('node', 'lts/argon', node), undefined);
  });
  it('a pre-release only when named exactly', () => {
    assert.equal(resolve('node', '24', node), undefined);
    assert.equal(resolve('node', '24.0.0-rc.1', node), '24.0.0-rc.1');
  });
  it('system never resolves from a list', () => assert.equal(resolve('node', 'system', node), undefined));

  const go: AvailableVersion[] = [
    { version: '1.23.1' },
    { version: '1.22.7' },
    { version: '1.22.0' },
    { version: '1.22rc2', prerelease: true },
    { version: '1.21.0' },
    { version: '1.21rc2', prerelease: true },
    { version: '1.20.14' },
    { version: '1.20' },
  ];
  it('Go 1.22 is the newest 1.22.x, 1.22.0 is exactly that', () => {
    assert.equal(resolve('go', '1.22', go), '1.22.7');
    assert.equal(resolve('go', '1.22.0', go), '1.22.0');
  });
  it('Go 1.20 (a release named without .0) is a prefix too', () => {
    assert.equal(resolve('go', '1.20', go), '1.20.14');
  });
  it('Go release candidates only when named', () => {
    assert.equal(resolve('go', '1.21rc2', go), '1.21rc2');
    assert.equal(resolve('go', 'latest', go), '1.23.1');
  });

  const rust: AvailableVersion[] = [
    { version: '1.82.0', channel: 'stable' },
    { version: '1.81.0' },
    { version: '1.80.0' },
  ];
  it('Rust channels', () => {
    assert.equal(resolve('rust', 'stable', rust), '1.82.0');
    assert.equal(
      resolve('rust', 'nightly', [{ version: '1.85.0-nightly', channel: 'nightly' }]),
      '1.85.0-nightly',
    );
    assert.equal(resolve('rust', '1.81', rust), '1.81.0');
  });

  const java: AvailableVersion[] = [
    { version: '21.0.5+11', lts: 'lts' },
    { version: '21.0.2+13', lts: 'lts' },
    { version: '17.0.13+11', lts: 'lts' },
    { version: '23.0.1+11' },
  ];
  it('Java temurin-21, 21.0.2 and lts', () => {
    assert.equal(resolve('java', 'temurin-21', java), '21.0.5+11');
    assert.equal(resolve('java', '21', java, 'temurin'), '21.0.5+11');
    assert.equal(resolve('java', '21.0.2', java), '21.0.2+13');
    assert.equal(resolve('java', 'lts', java), '21.0.5+11');
    assert.equal(resolve('java', 'latest', java), '23.0.1+11');
  });

  const python: AvailableVersion[] = [
    { version: '3.13.0' },
    { version: '3.13.0rc2' },
    { version: '3.12.7' },
    { version: '3.11.10' },
  ];
  it('Python ranges and prefixes', () => {
    assert.equal(resolve('python', '>=3.11 <3.13', python), '3.12.7');
    assert.equal(resolve('python', '3.12', python), '3.12.7');
    assert.equal(resolve('python', '^3.12', python), '3.13.0');
  });
});

describe('nearestVersions', () => {
  it('suggests the closest releases', () => {
    assert.deepEqual(nearestVersions('22.10.7', node), ['22.10.0', '22.11.0', '22.9.0']);
  });
  it('for a missing major suggests the neighbouring lines', () => {
    assert.deepEqual(nearestVersions('21', node, 2), ['22.11.0', '22.10.0']);
  });
});

describe('compareVersions', () => {
  it('orders runtime-specific spellings', () => {
    assert.deepEqual(sortVersionsDesc(['1.20', '1.21rc2', '1.20.14', '1.21.0']), [
      '1.21.0',
      '1.21rc2',
      '1.20.14',
      '1.20',
    ]);
    assert.ok(compareVersions('21.0.2+13', '21.0.2+12') > 0);
    assert.ok(compareVersions('3.13.0', '3.13.0rc2') > 0);
    assert.equal(toSemver('go1.22')?.version, '1.22.0');
  });
});
