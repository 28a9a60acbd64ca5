import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getRuntime } from '../../../runtimes/index.js';
import { parseChannelManifest } from '../../../runtimes/rust.js';
import { parseInstallArgv } from '../../../src/cli/install-fast-path.js';
import { parseTarget } from '../../../src/services/install/install.js';
import { bumpedSpec } from '../../../src/services/install/remote.js';

describe('idiomatic version files', () => {
  const cases: [string, string, string, string | undefined][] = [
    ['node', '.node-version', '22.11.0\n', '22.11.0'],
    ['node', 'package.json', '{"devEngines":{"runtime":{"name":"node","version":"^20.10"}}}', '^20.10'],
    ['node', 'package.json', '{"volta":{"node":"20.18.1"}}', '20.18.1'],
    ['node', 'package.json', '{"name":"x"}', undefined],
    ['node', '.tool-versions', 'python 3.12.1\nnodejs 22.11.0\n', '22.11.0'],
    ['python', '.python-version', '# pinned\n3.12\n', '3.12'],
    ['python', 'mise.toml', '[env]\nA = "1"\n[tools]\npython = "3.11"\n', '3.11'],
    ['go', 'go.mod', 'module x\n\ngo 1.22\n', '1.22'],
    ['go', '.go-version', 'go1.22.3\n', '1.22.3'],
    ['java', '.java-version', 'temurin-21\n', 'temurin-21'],
    ['java', '.tool-versions', 'java temurin-21.0.2+13.0.LTS\n', 'temurin-21.0.2+13'],
    ['rust', 'rust-toolchain', '1.82.0\n', '1.82.0'],
    ['rust', 'rust-toolchain.toml', '[toolchain]\ncomponents = ["clippy"]\n', undefined],
  ];
  for (const [runtime, file, content, expected] of cases) {
    it(`${runtime}: ${file} -> ${expected ?? 'nothing'}`, () => {
      const def = getRuntime(runtime);
      assert.ok(def?.versionFiles.includes(file));
      assert.equal(def?.parseVersionFile(file, content), expected);
    });
  }
});

describe('Rust channel manifests', () => {
  it('reads date and [pkg.rust] version without parsing the whole TOML', () => {
    const body =
      'date = "2024-11-28"\n[pkg.cargo]\nversion = "0.84.0"\n[pkg.rust]\nversion = "1.84.0-beta.3 (abc 2024-11-27)"\n[pkg.rust.target.x]\n';
    assert.deepEqual(parseChannelManifest(body), { version: '1.84.0-beta.3', date: '2024-11-28' });
  });
});

describe('command-line targets and flags', () => {
  it('parses runtime@spec', () => {
    assert.deepEqual(parseTarget('node@22'), { runtime: 'node', spec: '22' });
    assert.deepEqual(parseTarget('java@temurin-21'), {
      runtime: 'java',
      spec: '21',
      distribution: 'temurin',
    });
    assert.deepEqual(parseTarget('node@npm:22'), { runtime: 'node', spec: '22', source: 'npm' });
    assert.deepEqual(parseTarget('python@>=3.11 <3.13'), { runtime: 'python', spec: '>=3.11 <3.13' });
    assert.throws(() => parseTarget('nod@22'), /unknown runtime "nod"/);
  });
  it('the install fast path takes only what it understands', () => {
    assert.deepEqual(parseInstallArgv(['--frozen', '-C', '/p', 'node@22'])?.targets, ['node@22']);
    assert.equal(parseInstallArgv(['--json']), undefined);
    assert.equal(parseInstallArgv(['--help']), undefined);
  });
  it('bumps a spec at its own precision', () => {
    assert.equal(bumpedSpec('22', '23.3.0'), '23');
    assert.equal(bumpedSpec('3.12', '3.13.1'), '3.13');
    assert.equal(bumpedSpec('21', '25.0.3+9'), '25');
    assert.equal(bumpedSpec('^20', '23.3.0'), undefined);
  });
});
