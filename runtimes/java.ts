import { semver } from '../src/core/versions/semver.cjs';
import type { VersionSpec } from '../src/core/versions/spec.js';
import {
  type Arch,
  type FetchText,
  joinUrl,
  type OS,
  type PinParts,
  type PlatformArtifacts,
  type PlatformKey,
  type RemoteVersion,
  type RuntimeDefinition,
  sha256Checksum,
} from './types.js';
import { firstLine, miseToolsEntry, toolVersionsEntry } from './version-files.js';

const ADOPTIUM_OS: Record<string, OS> = { linux: 'linux', mac: 'darwin' };
const ADOPTIUM_ARCH: Record<string, Arch> = { x64: 'x64', aarch64: 'arm64' };

export interface AvailableReleases {
  available_releases: number[];
  available_lts_releases: number[];
  most_recent_lts: number;
  most_recent_feature_release: number;
}

interface AdoptiumBinary {
  os: string;
  architecture: string;
  image_type: string;
  jvm_impl?: string;
  package: { name: string; link: string; size?: number; checksum: string };
}
interface AdoptiumRelease {
  release_name: string;
  version_data: { major: number; minor: number; security: number; build?: number; semver: string };
  binaries: AdoptiumBinary[];
}

export function javaReleasesUrl(base: string, feature: number): string {
  return joinUrl(
    base,
    `v3/assets/feature_releases/${feature}/ga?image_type=jdk&jvm_impl=hotspot&vendor=eclipse&page_size=20&sort_order=DESC`,
  );
}

/** `21.0.2+13` from Adoptium's semver `21.0.2+13.0.LTS` (the name of the install dir). */
export function javaVersionOf(data: AdoptiumRelease['version_data']): string {
  const m = /^(\d+\.\d+\.\d+)(?:\.\d+)?\+(\d+)/.exec(data.semver);
  if (m?.[1] && m[2]) return `${m[1]}+${m[2]}`;
  return `${data.major}.${data.minor}.${data.security}${data.build ? `+${data.build}` : ''}`;
}

/** Feature releases (21, 17 …) a spec can match, from /v3/info/available_releases. */
export function javaFeaturesFor(spec: VersionSpec, info: AvailableReleases): number[] {
  switch (spec.kind) {
    case 'latest':
      return [info.most_recent_feature_release];
    case 'lts':
      return [info.most_recent_lts];
    case 'version': {
      const major = Number(spec.version.split(/[.+]/)[0]);
      return info.available_releases.includes(major) ? [major] : [];
    }
    case 'range':
      return info.available_releases
        .filter((f) => {
          try {
            return semver().intersects(spec.range, `>=${f}.0.0 <${f + 1}.0.0`, { loose: true });
          } catch {
            return false;
          }
        })
        .sort((a, b) => b - a);
    default:
      return [];
  }
}

export function parseAdoptiumReleases(body: string, lts: boolean): RemoteVersion[] {
  const releases = JSON.parse(body) as AdoptiumRelease[];
  return releases.map((r) => {
    const artifacts: PlatformArtifacts = {};
    for (const b of r.binaries ?? []) {
      const os = ADOPTIUM_OS[b.os];
      const arch = ADOPTIUM_ARCH[b.architecture];
      if (!os || !arch || b.image_type !== 'jdk' || !b.package.name.endsWith('.tar.gz')) continue;
      artifacts[`${os}-${arch}` as PlatformKey] = {
        url: b.package.link,
        checksum: sha256Checksum(b.package.checksum),
        strip: 1,
        ...(b.package.size ? { size: b.package.size } : {}),
      };
    }
    return { version: javaVersionOf(r.version_data), ...(lts ? { lts: 'lts' } : {}), artifacts };
  });
}

async function listJava(base: string, spec: VersionSpec, fetch: FetchText): Promise<RemoteVersion[]> {
  const info = JSON.parse(await fetch(joinUrl(base, 'v3/info/available_releases'))) as AvailableReleases;
  const features = javaFeaturesFor(spec, info);
  const lists = await Promise.all(
    features.map(async (f) =>
      parseAdoptiumReleases(await fetch(javaReleasesUrl(base, f)), info.available_lts_releases.includes(f)),
    ),
  );
  // With nothing to match (an unknown feature), list each feature's name so the error can suggest one.
  if (lists.length === 0)
    return info.available_releases.map((f) => ({ version: `${f}`, meta: { feature: 'true' } }));
  return lists.flat();
}

/** .sdkmanrc `java=21.0.2-tem` -> 21.0.2. */
export function sdkmanJava(content: string): string | undefined {
  const m = /^\s*java\s*=\s*([\d.+]+)/m.exec(content);
  return m?.[1];
}

/**
 * "temurin-21", "zulu-17.0.2": a distribution before the version. Not "lts" (an alias), and the
 * rest must be a version or an alias, so a range such as ">=17" is never taken apart.
 */
export function splitJavaPin(text: string): PinParts {
  const m = /^([a-z][a-z0-9_]*)-(\d.*|lts|latest)$/.exec(text);
  if (!m?.[1] || !m[2] || m[1] === 'lts') return { spec: text };
  return { spec: m[2], distribution: m[1] };
}

export const java: RuntimeDefinition = {
  name: 'java',
  pin: {
    aliases: ['lts'],
    isAlias: (spec) => spec === 'lts',
    split: splitJavaPin,
    examples: { exact: '21.0.2', prefix: '21', range: '>=17 <22' },
  },
  officialBase: 'https://api.adoptium.net',
  archive: { strip: 1 },
  mirrorEnv: 'POLY_JAVA_MIRROR',
  sourceName: (ctx) => ctx.distribution ?? 'temurin',
  listVersions: (ctx, spec, fetch) => listJava(ctx.base, spec, fetch),
  async artifacts(_ctx, remote) {
    return remote.artifacts ?? {};
  },
  binDirs: (p) => (p.os === 'darwin' ? ['Contents/Home/bin'] : ['bin']),
  env: (installDir, p) => ({ JAVA_HOME: p.os === 'darwin' ? `${installDir}/Contents/Home` : installDir }),
  systemBinary: 'java',
  versionFiles: ['.java-version', '.sdkmanrc', '.tool-versions', 'mise.toml'],
  parseVersionFile(fileName, content) {
    if (fileName === '.sdkmanrc') return sdkmanJava(content);
    const raw =
      fileName === '.tool-versions'
        ? toolVersionsEntry(content, ['java'])
        : fileName === 'mise.toml'
          ? miseToolsEntry(content, ['java'])
          : firstLine(content);
    // asdf writes temurin-21.0.2+13.0.LTS; poly's spec form is temurin-21.0.2+13.
    return raw?.replace(/(\+\d+)\.0\.LTS$/, '$1');
  },
  containerImage: (version) => `eclipse-temurin:${version.replace('+', '_')}-jdk`,
};
