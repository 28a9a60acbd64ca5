import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectVersionFiles } from '../../../src/core/manifest/import/detect.js';
import { parseGoMod } from '../../../src/core/manifest/import/go-mod.js';
import { parseGoVersionFile } from '../../../src/core/manifest/import/go-version-file.js';
import { parseJavaVersionFile } from '../../../src/core/manifest/import/java-version-file.js';
import { parseMiseToml } from '../../../src/core/manifest/import/mise-toml.js';
import { parseNodeVersionFile } from '../../../src/core/manifest/import/node-version-file.js';
import { parsePackageJson } from '../../../src/core/manifest/import/package-json.js';
import { parsePythonVersionFile } from '../../../src/core/manifest/import/python-version-file.js';
import {
  parseRustToolchainLegacy,
  parseRustToolchainToml,
} from '../../../src/core/manifest/import/rust-toolchain.js';
import { parseSdkmanrc } from '../../../src/core/manifest/import/sdkmanrc.js';
import { parseToolVersions } from '../../../src/core/manifest/import/tool-versions.js';

const specs = (r: { pins: { runtime: string; spec: string }[] }) =>
  r.pins.map((p) => `${p.runtime}@${p.spec}`);

describe('.nvmrc / .node-version', () => {
  it('strips the v and maps nvm aliases', () => {
    assert.deepEqual(specs(parseNodeVersionFile('v22.11.0\n')), ['node@22.11.0']);
    assert.deepEqual(specs(parseNodeVersionFile('# comment\n20\n')), ['node@20']);
    assert.deepEqual(specs(parseNodeVersionFile('lts/*')), ['node@lts']);
    assert.deepEqual(specs(parseNodeVersionFile('lts/Iron\r\n')), ['node@lts/iron']);
    assert.deepEqual(specs(parseNodeVersionFile('node')), ['node@latest']);
    assert.deepEqual(parseNodeVersionFile('\n\n').skipped, ['the file is empty']);
  });
});

describe('package.json', () => {
  it('reads volta.node before devEngines.runtime', () => {
    const text = JSON.stringify({
      volta: { node: '20.11.1' },
      devEngines: { runtime: { name: 'node', version: '^20.10' } },
    });
    assert.deepEqual(specs(parsePackageJson(text)), ['node@20.11.1', 'node@^20.10']);
  });
  it('takes node from a devEngines.runtime array and reports other runtimes', () => {
    const r = parsePackageJson(
      JSON.stringify({
        devEngines: {
          runtime: [
            { name: 'bun', version: '1' },
            { name: 'node', version: '>=22' },
          ],
        },
      }),
    );
    assert.deepEqual(specs(r), ['node@>=22']);
    assert.deepEqual(r.skipped, ['devEngines.runtime "bun" is not a runtime poly manages']);
  });
  it('survives invalid JSON and packages without pins', () => {
    assert.deepEqual(parsePackageJson('{ nope').skipped, ['not valid JSON']);
    assert.deepEqual(parsePackageJson('{"name":"x","engines":{"node":">=18"}}').pins, []);
  });
});

describe('.python-version', () => {
  it('takes the first line and refuses other implementations', () => {
    assert.deepEqual(specs(parsePythonVersionFile('3.12.7\n3.11.9\n')), ['python@3.12.7']);
    assert.deepEqual(specs(parsePythonVersionFile('cpython-3.13')), ['python@3.13']);
    assert.deepEqual(parsePythonVersionFile('pypy3.10-7.3.12').skipped, [
      '"pypy3.10-7.3.12" is not a CPython version',
    ]);
  });
});

describe('.tool-versions', () => {
  it('maps asdf tool names and takes the first version', () => {
    const r = parseToolVersions(
      'nodejs 22.11.0\npython 3.12.7 3.11.9\ngolang 1.23.2\njava temurin-21.0.2+13.0.LTS\nrust 1.82.0\nruby 3.3.0\n',
    );
    assert.deepEqual(specs(r), [
      'node@22.11.0',
      'python@3.12.7',
      'go@1.23.2',
      'java@temurin-21.0.2',
      'rust@1.82.0',
    ]);
    assert.deepEqual(r.skipped, ['"ruby" is not a runtime poly manages']);
  });
  it('maps adoptopenjdk to temurin and refuses refs', () => {
    assert.deepEqual(specs(parseToolVersions('java adoptopenjdk-17.0.1+12')), ['java@temurin-17.0.1']);
    assert.equal(parseToolVersions('nodejs ref:main').pins.length, 0);
  });
});

describe('mise.toml', () => {
  it('reads [tools] strings, arrays and tables', () => {
    const r = parseMiseToml(
      '[tools]\nnode = "22"\npython = ["3.12", "3.11"]\ngo = { version = "1.23" }\njava = "21"\n"core:rust" = "stable"\nterraform = "1"\n',
    );
    assert.deepEqual(specs(r), ['node@22', 'python@3.12', 'go@1.23', 'java@temurin-21', 'rust@stable']);
    assert.deepEqual(r.skipped, ['"terraform" is not a runtime poly manages']);
  });
  it('survives invalid TOML and a missing [tools]', () => {
    assert.deepEqual(parseMiseToml('[tools\n').skipped, ['not valid TOML']);
    assert.deepEqual(parseMiseToml('[env]\nA = "1"\n').skipped, ['no [tools] table']);
  });
});

describe('rust-toolchain', () => {
  it('reads channel from rust-toolchain.toml', () => {
    assert.deepEqual(
      specs(parseRustToolchainToml('[toolchain]\nchannel = "1.82.0"\ncomponents = ["clippy"]\n')),
      ['rust@1.82.0'],
    );
    assert.deepEqual(specs(parseRustToolchainToml('[toolchain]\nchannel = "nightly-2024-05-01"\n')), [
      'rust@nightly-2024-05-01',
    ]);
    assert.equal(parseRustToolchainToml('[toolchain]\npath = "/opt/rust"\n').pins.length, 0);
  });
  it('reads a bare channel from the legacy file, dropping a host triple', () => {
    assert.deepEqual(specs(parseRustToolchainLegacy('stable-x86_64-unknown-linux-gnu\n')), ['rust@stable']);
    assert.deepEqual(specs(parseRustToolchainLegacy('1.75\n')), ['rust@1.75']);
    assert.deepEqual(specs(parseRustToolchainLegacy('[toolchain]\nchannel = "beta"\n')), ['rust@beta']);
  });
});

describe('go.mod and .go-version', () => {
  it('prefers the toolchain line over the go line', () => {
    assert.deepEqual(specs(parseGoMod('module x\n\ngo 1.22\n\ntoolchain go1.23.2\n')), ['go@1.23.2']);
    assert.deepEqual(specs(parseGoMod('module x\n\ngo 1.22.0 // minimum\n')), ['go@1.22.0']);
    assert.deepEqual(parseGoMod('module x\n').skipped, ['no go or toolchain line']);
  });
  it('reads .go-version with or without the go prefix', () => {
    assert.deepEqual(specs(parseGoVersionFile('go1.22.3\n')), ['go@1.22.3']);
    assert.deepEqual(specs(parseGoVersionFile('1.21')), ['go@1.21']);
  });
});

describe('.java-version and .sdkmanrc', () => {
  it('reads plain and jenv-style versions', () => {
    assert.deepEqual(specs(parseJavaVersionFile('21\n')), ['java@temurin-21']);
    assert.deepEqual(specs(parseJavaVersionFile('temurin64-21.0.2')), ['java@temurin-21.0.2']);
    assert.deepEqual(specs(parseJavaVersionFile('corretto64-17.0.9.8.1')), ['java@corretto-17.0.9.8.1']);
  });
  it('maps SDKMAN vendor codes', () => {
    assert.deepEqual(specs(parseSdkmanrc('# sdk env\njava=21.0.2-tem\nmaven=3.9.6\n')), [
      'java@temurin-21.0.2',
    ]);
    assert.deepEqual(specs(parseSdkmanrc('java=17.0.9-amzn')), ['java@corretto-17.0.9']);
    assert.deepEqual(parseSdkmanrc('maven=3.9.6').skipped, ['no java= line']);
  });
});

describe('detectVersionFiles', () => {
  it('takes the most specific file per runtime and reports the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'poly-detect-'));
    try {
      writeFileSync(join(dir, '.nvmrc'), '22\n');
      writeFileSync(join(dir, '.tool-versions'), 'nodejs 20.0.0\npython 3.11.9\n');
      writeFileSync(join(dir, '.python-version'), 'pypy3.10\n');
      writeFileSync(join(dir, '.go-version'), 'not a version!\n');
      writeFileSync(join(dir, '.java-version'), Buffer.from([0, 1, 2]));
      const d = detectVersionFiles(dir);
      assert.deepEqual(
        d.pins.map((p) => `${p.runtime}@${p.spec} ${p.file}`),
        ['node@22 .nvmrc', 'python@3.11.9 .tool-versions'],
      );
      assert.deepEqual(
        d.shadowed.map((p) => `${p.runtime}@${p.spec} ${p.file}`),
        ['node@20.0.0 .tool-versions'],
      );
      assert.deepEqual(d.skipped, [
        { file: '.python-version', reason: '"pypy3.10" is not a CPython version' },
        { file: '.go-version', reason: '"not a version!" is not a version spec poly understands' },
        { file: '.java-version', reason: 'not a readable text file' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
