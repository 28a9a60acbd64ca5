import { createHash } from 'node:crypto';
import type { PlatformKey } from '../../runtimes/types.js';
import { tarGz } from './tar-writer.js';

/**
 * Synthetic documents in each runtime's OFFICIAL layout (index, checksums,
 * archives), as path -> body maps that a test server mounts under a base.
 * Archive bytes are supplied per platform so tests can serve real tar.gz files.
 */
export type Routes = Map<string, Buffer | string>;
export type Archives = Record<PlatformKey, Buffer>;

export const KEYS: PlatformKey[] = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64'];

export function sha256(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Same archive for every platform (tests run on one; the lock records all four). */
export function sameArchive(b: Buffer): Archives {
  return { 'linux-x64': b, 'linux-arm64': b, 'darwin-x64': b, 'darwin-arm64': b };
}

export function placeholderArchive(top: string): Buffer {
  return tarGz([{ type: 'file', path: `${top}/README`, content: 'placeholder\n' }]);
}

export function nodeRoutes(releases: { version: string; lts?: string; archives?: Archives }[]): Routes {
  const routes: Routes = new Map();
  routes.set(
    '/index.json',
    JSON.stringify(
      releases.map((r) => ({
        version: `v${r.version}`,
        date: '2024-10-29',
        files: ['linux-x64', 'linux-arm64', 'osx-x64-tar', 'osx-arm64-tar'],
        npm: '10.9.0',
        lts: r.lts ?? false,
        security: false,
      })),
    ),
  );
  for (const r of releases) {
    const archives = r.archives ?? sameArchive(placeholderArchive(`node-v${r.version}`));
    let sums = '';
    for (const key of KEYS) {
      const file = `node-v${r.version}-${key}.tar.gz`;
      routes.set(`/v${r.version}/${file}`, archives[key]);
      sums += `${sha256(archives[key])}  ${file}\n`;
    }
    routes.set(`/v${r.version}/SHASUMS256.txt`, sums);
  }
  return routes;
}

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };
export function goRoutes(releases: { version: string; stable?: boolean; archives?: Archives }[]): Routes {
  const routes: Routes = new Map();
  const index = releases.map((r) => {
    const archives = r.archives ?? sameArchive(placeholderArchive('go'));
    const files = KEYS.map((key) => {
      const [os, arch] = key.split('-') as [string, string];
      const filename = `go${r.version}.${os}-${GO_ARCH[arch]}.tar.gz`;
      routes.set(`/${filename}`, archives[key]);
      return {
        filename,
        os,
        arch: GO_ARCH[arch],
        version: `go${r.version}`,
        sha256: sha256(archives[key]),
        size: archives[key].length,
        kind: 'archive',
      };
    });
    files.push({
      filename: `go${r.version}.src.tar.gz`,
      os: '',
      arch: '',
      version: `go${r.version}`,
      sha256: '0'.repeat(64),
      size: 1,
      kind: 'source',
    });
    return { version: `go${r.version}`, stable: r.stable ?? true, files };
  });
  routes.set('/?mode=json&include=all', JSON.stringify(index));
  return routes;
}

const PBS: Record<PlatformKey, [string, string, string]> = {
  'linux-x64': ['linux', 'x86_64', 'gnu'],
  'linux-arm64': ['linux', 'aarch64', 'gnu'],
  'darwin-x64': ['darwin', 'x86_64', 'none'],
  'darwin-arm64': ['darwin', 'aarch64', 'none'],
};
export const PBS_TRIPLE: Record<PlatformKey, string> = {
  'linux-x64': 'x86_64-unknown-linux-gnu',
  'linux-arm64': 'aarch64-unknown-linux-gnu',
  'darwin-x64': 'x86_64-apple-darwin',
  'darwin-arm64': 'aarch64-apple-darwin',
};

/** python-build-standalone assets under `assetBase` and uv's index (at /download-metadata.json). */
export function pythonRoutes(
  assetBase: string,
  releases: { version: string; build?: string; archives?: Archives; withoutSha?: boolean }[],
): Routes {
  const routes: Routes = new Map();
  const index: Record<string, unknown> = {};
  for (const r of releases) {
    const build = r.build ?? '20241016';
    const archives = r.archives ?? sameArchive(placeholderArchive('python'));
    const [major, minor, patch] = r.version.split('.').map(Number);
    let sums = '';
    for (const key of KEYS) {
      const file = `cpython-${r.version}+${build}-${PBS_TRIPLE[key]}-install_only.tar.gz`;
      routes.set(`/${build}/${file}`, archives[key]);
      sums += `${sha256(archives[key])}  ${file}\n`;
      const [os, family, libc] = PBS[key];
      index[`cpython-${r.version}-${os}-${family}-${libc}`] = {
        name: 'cpython',
        arch: { family, variant: null },
        os,
        libc,
        major,
        minor,
        patch,
        prerelease: '',
        url: `${assetBase}/${build}/${file.replace('+', '%2B')}`,
        sha256: r.withoutSha ? null : sha256(archives[key]),
        variant: null,
        build,
      };
      index[`cpython-${r.version}+freethreaded-${os}-${family}-${libc}`] = {
        ...(index[`cpython-${r.version}-${os}-${family}-${libc}`] as object),
        variant: 'freethreaded',
        sha256: '0'.repeat(64),
      };
    }
    routes.set(`/${build}/SHA256SUMS`, sums);
  }
  routes.set('/download-metadata.json', JSON.stringify(index));
  return routes;
}

const ADOPTIUM: Record<PlatformKey, [string, string]> = {
  'linux-x64': ['linux', 'x64'],
  'linux-arm64': ['linux', 'aarch64'],
  'darwin-x64': ['mac', 'x64'],
  'darwin-arm64': ['mac', 'aarch64'],
};
/** The Adoptium API (under `apiBase`), with binary links served at /binaries/. */
export function javaRoutes(
  apiBase: string,
  releases: { feature: number; version: string; build: number; archives?: Archives }[],
  lts: number[] = [21, 17],
): Routes {
  const routes: Routes = new Map();
  const features = [...new Set(releases.map((r) => r.feature))].sort((a, b) => a - b);
  routes.set(
    '/v3/info/available_releases',
    JSON.stringify({
      available_releases: features,
      available_lts_releases: lts,
      most_recent_lts: Math.max(...features.filter((f) => lts.includes(f))),
      most_recent_feature_release: Math.max(...features),
    }),
  );
  for (const f of features) {
    const list = releases
      .filter((r) => r.feature === f)
      .map((r) => {
        const name = `jdk-${r.version}+${r.build}`;
        const archives = r.archives ?? sameArchive(placeholderArchive(name));
        const [major, minor, security] = r.version.split('.').map(Number);
        return {
          release_name: name,
          version_data: { major, minor, security, build: r.build, semver: `${r.version}+${r.build}.0.LTS` },
          binaries: KEYS.map((key) => {
            const [os, architecture] = ADOPTIUM[key];
            const file = `OpenJDK${f}U-jdk_${architecture}_${os}_hotspot_${r.version}_${r.build}.tar.gz`;
            routes.set(`/binaries/${file}`, archives[key]);
            return {
              os,
              architecture,
              image_type: 'jdk',
              jvm_impl: 'hotspot',
              package: {
                name: file,
                link: `${apiBase}/binaries/${file}`,
                size: archives[key].length,
                checksum: sha256(archives[key]),
              },
            };
          }),
        };
      });
    routes.set(
      `/v3/assets/feature_releases/${f}/ga?image_type=jdk&jvm_impl=hotspot&vendor=eclipse&page_size=20&sort_order=DESC`,
      JSON.stringify(list),
    );
  }
  return routes;
}

const RUST_TRIPLE = PBS_TRIPLE;
export function rustRoutes(stable: string, releases: { version: string; archives?: Archives }[]): Routes {
  const routes: Routes = new Map();
  const manifest = (v: string) =>
    `manifest-version = "2"\ndate = "2024-10-17"\n[pkg.cargo]\nversion = "${v} (x 2024-10-15)"\n[pkg.rust]\nversion = "${v} (f6e511eec 2024-10-15)"\n[pkg.rust.target.x86_64-unknown-linux-gnu]\navailable = true\n`;
  routes.set('/dist/channel-rust-stable.toml', manifest(stable));
  for (const r of releases) {
    routes.set(`/dist/channel-rust-${r.version}.toml`, manifest(r.version));
    routes.set(`/dist/channel-rust-${r.version.split('.').slice(0, 2).join('.')}.toml`, manifest(r.version));
    const archives = r.archives ?? sameArchive(placeholderArchive(`rust-${r.version}`));
    for (const key of KEYS) {
      const file = `rust-${r.version}-${RUST_TRIPLE[key]}.tar.gz`;
      routes.set(`/dist/${file}`, archives[key]);
      routes.set(`/dist/${file}.sha256`, `${sha256(archives[key])}  ${file}\n`);
    }
  }
  return routes;
}
