import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allRuntimes, getRuntime } from '../../../runtimes/index.js';
import { ALL_PLATFORMS, type FetchText, platformKey, type SourceContext } from '../../../runtimes/types.js';
import type { RuntimeName } from '../../../src/core/manifest/types.js';
import { resolveVersion } from '../../../src/core/versions/resolve.js';
import { parseSpec } from '../../../src/core/versions/spec.js';
import {
  goRoutes,
  javaRoutes,
  nodeRoutes,
  pythonRoutes,
  type Routes,
  rustRoutes,
  sha256,
} from '../../helpers/official-layouts.js';

/** Serves a route map as if it were mounted at `base` (no network: these are pure definition tests). */
function fetchFrom(base: string, routes: Routes, seen: string[] = []): FetchText {
  return async (url) => {
    seen.push(url);
    const body = url.startsWith(base) ? routes.get(url.slice(base.length)) : undefined;
    if (body === undefined) throw Object.assign(new Error(`404 ${url}`), { code: 'NOT_FOUND' });
    return body.toString();
  };
}

interface Case {
  base: string;
  ctx?: Partial<SourceContext>;
  routes: Routes;
  spec: string;
  resolved: string;
  /** Expected archive URL per platform key. */
  url: (key: string) => string;
  env: (dir: string) => Record<string, Record<string, string>>;
  versionFile: [string, string, string];
}

const B = 'http://mirror.test';
const CASES: Record<RuntimeName, Case> = {
  node: {
    base: `${B}/node`,
    routes: nodeRoutes([
      { version: '22.11.0', lts: 'Jod' },
      { version: '22.10.0' },
      { version: '20.18.1', lts: 'Iron' },
    ]),
    spec: '22',
    resolved: '22.11.0',
    url: (k) => `${B}/node/v22.11.0/node-v22.11.0-${k}.tar.gz`,
    env: () => ({ linux: {}, darwin: {} }),
    versionFile: ['.nvmrc', 'v20.18\n', '20.18'],
  },
  python: {
    base: `${B}/pbs`,
    ctx: { indexUrl: `${B}/pbs/download-metadata.json` },
    routes: pythonRoutes('https://github.com/astral-sh/python-build-standalone/releases/download', [
      { version: '3.12.7' },
      { version: '3.11.10' },
    ]),
    spec: '>=3.11 <3.13',
    resolved: '3.12.7',
    url: (k) =>
      `${B}/pbs/20241016/cpython-3.12.7%2B20241016-${{ 'linux-x64': 'x86_64-unknown-linux-gnu', 'linux-arm64': 'aarch64-unknown-linux-gnu', 'darwin-x64': 'x86_64-apple-darwin', 'darwin-arm64': 'aarch64-apple-darwin' }[k]}-install_only.tar.gz`,
    env: () => ({ linux: {}, darwin: {} }),
    versionFile: ['.python-version', '3.12\n', '3.12'],
  },
  go: {
    base: `${B}/go`,
    routes: goRoutes([
      { version: '1.23.1' },
      { version: '1.22.7' },
      { version: '1.22.0' },
      { version: '1.23rc1', stable: false },
    ]),
    spec: '1.22',
    resolved: '1.22.7',
    url: (k) => `${B}/go/go1.22.7.${k.replace('x64', 'amd64')}.tar.gz`,
    env: (dir) => ({ linux: { GOROOT: dir }, darwin: { GOROOT: dir } }),
    versionFile: ['go.mod', 'module x\n\ngo 1.22\n\ntoolchain go1.22.3\n', '1.22.3'],
  },
  java: {
    base: `${B}/adoptium`,
    routes: javaRoutes(`${B}/adoptium`, [
      { feature: 21, version: '21.0.5', build: 11 },
      { feature: 21, version: '21.0.2', build: 13 },
      { feature: 17, version: '17.0.13', build: 11 },
    ]),
    spec: 'temurin-21',
    resolved: '21.0.5+11',
    url: (k) => {
      const [os, arch] = k.split('-');
      return `${B}/adoptium/binaries/OpenJDK21U-jdk_${arch === 'x64' ? 'x64' : 'aarch64'}_${os === 'darwin' ? 'mac' : 'linux'}_hotspot_21.0.5_11.tar.gz`;
    },
    env: (dir) => ({ linux: { JAVA_HOME: dir }, darwin: { JAVA_HOME: `${dir}/Contents/Home` } }),
    versionFile: ['.sdkmanrc', 'java=21.0.2-tem\n', '21.0.2'],
  },
  rust: {
    base: `${B}/rust`,
    routes: rustRoutes('1.82.0', [{ version: '1.82.0' }, { version: '1.81.0' }]),
    spec: '1.81',
    resolved: '1.81.0',
    url: (k) =>
      `${B}/rust/dist/rust-1.81.0-${{ 'linux-x64': 'x86_64-unknown-linux-gnu', 'linux-arm64': 'aarch64-unknown-linux-gnu', 'darwin-x64': 'x86_64-apple-darwin', 'darwin-arm64': 'aarch64-apple-darwin' }[k]}.tar.gz`,
    env: (dir) => ({ linux: { RUSTUP_TOOLCHAIN: dir }, darwin: { RUSTUP_TOOLCHAIN: dir } }),
    versionFile: ['rust-toolchain.toml', '[toolchain]\nchannel = "1.81"\n', '1.81'],
  },
};

for (const def of allRuntimes()) {
  const c = CASES[def.name];
  describe(`runtime contract: ${def.name}`, () => {
    const ctx: SourceContext = { base: c.base, ...c.ctx };
    const parsed = parseSpec(def.name, c.spec);

    it('is registered under its name', () => {
      assert.equal(getRuntime(def.name), def);
      assert.match(def.officialBase, /^https:\/\//);
      assert.match(def.mirrorEnv, new RegExp(`^POLY_${def.name.toUpperCase()}_MIRROR$`));
    });

    it('lists versions from its official index layout and resolves a spec', async () => {
      const list = await def.listVersions(ctx, parsed.spec, fetchFrom(c.base, c.routes));
      assert.ok(list.length > 0);
      assert.equal(resolveVersion(parsed.spec, list), c.resolved);
    });

    it('builds the archive URL and checksum for all four platforms', async () => {
      const fetch = fetchFrom(c.base, c.routes);
      const list = await def.listVersions(ctx, parsed.spec, fetch);
      const remote = list.find((v) => v.version === c.resolved);
      assert.ok(remote);
      const artifacts = await def.artifacts(ctx, remote, fetch);
      for (const p of ALL_PLATFORMS) {
        const key = platformKey(p);
        const a = artifacts[key];
        assert.ok(a, `no artifact for ${key}`);
        assert.equal(a.url, c.url(key));
        assert.match(a.checksum, /^sha256:[0-9a-f]{64}$/);
        assert.equal(a.strip, 1);
        // The checksum is the one of the bytes served at that URL.
        const bytes = c.routes.get(decodeURIComponent(a.url.slice(c.base.length)));
        assert.ok(bytes, `nothing served at ${a.url}`);
        assert.equal(a.checksum, `sha256:${sha256(bytes)}`);
      }
    });

    it('never lists a version that does not exist', async () => {
      const list = await def.listVersions(
        ctx,
        parseSpec(def.name, '999.1').spec,
        fetchFrom(c.base, c.routes),
      );
      assert.equal(resolveVersion(parseSpec(def.name, '999.1').spec, list), undefined);
    });

    it('names bin dirs and env for linux and darwin', () => {
      const dir = `/store/installs/${def.name}/${c.resolved}`;
      const expected = c.env(dir);
      for (const p of ALL_PLATFORMS) {
        const bins = def.binDirs(p);
        assert.ok(bins.length > 0);
        for (const b of bins) assert.ok(!b.startsWith('/') && !b.includes('..'));
        assert.deepEqual(def.env(dir, p), expected[p.os]);
      }
    });

    it('reads its idiomatic version file', () => {
      const [file, content, spec] = c.versionFile;
      assert.ok(def.versionFiles.includes(file));
      assert.equal(def.parseVersionFile(file, content), spec);
    });

    it('has a container image and a system binary', () => {
      assert.ok(def.containerImage(c.resolved).includes(':'));
      assert.ok(def.systemBinary.length > 0);
    });
  });
}
