/**
 * Java as the Adoptium API serves Eclipse Temurin. Mount `/java` = POLY_JAVA_MIRROR (the
 * https://api.adoptium.net equivalent):
 *   /java/v3/info/available_releases
 *   /java/v3/assets/feature_releases/{feature}/ga?os=&architecture=&image_type=jdk&jvm_impl=hotspot&vendor=eclipse
 *   /java/v3/assets/latest/{feature}/hotspot?os=&architecture=&image_type=
 *   /java/binaries/temurin{F}-binaries/releases/download/jdk-{semver}/OpenJDK{F}U-jdk_{arch}_{os}_hotspot_{v}_{b}.tar.gz
 *     (+ `.sha256.txt`, `<sha256>  <name>`), where api.adoptium.net links to GitHub release assets.
 * Archives: top folder `jdk-17.0.15+6/`; linux `bin/java`, mac `Contents/Home/bin/java`. The
 * linux x64 archives are the JDKs installed in /usr/lib/jvm (one per feature: 17 and 25 here),
 * with symlinks resolved (Debian's JDK links into /etc) and dangling ones left out; the aarch64
 * and mac archives are stubs (stub.ts).
 */
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type CachedFile, cachedFile } from './cache.js';
import { packTree } from './pack.js';
import {
  type ArchiveInfo,
  bytes,
  json,
  type MirrorPlatform,
  type RuntimeSite,
  shasumLine,
  text,
} from './site.js';
import { stubArchive } from './stub.js';

const JVM_DIR = '/usr/lib/jvm';
const TARGETS: { platform: MirrorPlatform; os: 'linux' | 'mac'; arch: 'x64' | 'aarch64' }[] = [
  { platform: 'linux-x64', os: 'linux', arch: 'x64' },
  { platform: 'linux-arm64', os: 'linux', arch: 'aarch64' },
  { platform: 'darwin-x64', os: 'mac', arch: 'x64' },
  { platform: 'darwin-arm64', os: 'mac', arch: 'aarch64' },
];

interface Jdk {
  home: string;
  major: number;
  /** "17.0.15+6" */
  semver: string;
  minor: number;
  security: number;
  build: number;
  date: string;
}

interface JavaBinary {
  os: string;
  arch: string;
  platform: MirrorPlatform;
  name: string;
  sha256: string;
  size: number;
  served: { kind: 'file'; archive: CachedFile } | { kind: 'body'; body: Buffer };
}

interface JavaRelease extends Jdk {
  binaries: JavaBinary[];
}

async function readJdk(home: string): Promise<Jdk | undefined> {
  if (!existsSync(join(home, 'bin', 'javac'))) return undefined;
  const release = await readFile(join(home, 'release'), 'utf8').catch(() => '');
  const field = (key: string) => new RegExp(`^${key}="([^"]*)"`, 'm').exec(release)?.[1];
  const runtime = /^(\d+)(?:\.(\d+)\.(\d+))?\+(\d+)/.exec(field('JAVA_RUNTIME_VERSION') ?? '');
  if (!runtime) return undefined;
  const major = Number(runtime[1]);
  const minor = Number(runtime[2] ?? 0);
  const security = Number(runtime[3] ?? 0);
  const build = Number(runtime[4]);
  return {
    home,
    major,
    semver: `${major}.${minor}.${security}+${build}`,
    minor,
    security,
    build,
    date: field('JAVA_VERSION_DATE') ?? '2025-01-01',
  };
}

/** One JDK per feature release from /usr/lib/jvm (real directories only; aliases are symlinks). */
async function findJdks(): Promise<Jdk[]> {
  const byMajor = new Map<number, Jdk>();
  for (const name of (await readdir(JVM_DIR).catch(() => [])).sort()) {
    const home = join(JVM_DIR, name);
    if ((await lstat(home)).isSymbolicLink()) continue;
    const jdk = await readJdk(home);
    if (jdk && !byMajor.has(jdk.major)) byMajor.set(jdk.major, jdk);
  }
  return [...byMajor.values()].sort((a, b) => b.major - a.major);
}

/** Symlinks whose target does not exist: --dereference cannot store them. */
async function danglingLinks(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      if (!(await stat(path).catch(() => undefined))) out.push(relative(root, path));
    } else if (entry.isDirectory()) {
      out.push(...(await danglingLinks(root, path)));
    }
  }
  return out;
}

function assetName(jdk: Jdk, arch: string, os: string): string {
  return `OpenJDK${jdk.major}U-jdk_${arch}_${os}_hotspot_${jdk.semver.replace('+', '_')}.tar.gz`;
}

async function buildRelease(cacheDir: string, jdk: Jdk): Promise<JavaRelease> {
  const top = `jdk-${jdk.semver}`;
  const binaries: JavaBinary[] = [];
  for (const { platform, os, arch } of TARGETS) {
    const name = assetName(jdk, arch, os);
    if (platform === 'linux-x64') {
      const archive = await cachedFile(join(cacheDir, 'java', name), async (tmp) => {
        const skip = await danglingLinks(jdk.home);
        await packTree(tmp, [{ cwd: jdk.home, paths: ['.'] }], {
          dereference: true,
          exclude: skip.map((p) => `./${p}`),
          rename: [`s,^\\.\\(/\\|$\\),${top}\\1,`],
        });
      });
      binaries.push({ os, arch, platform, name, ...archive, served: { kind: 'file', archive } });
    } else {
      const java =
        os === 'mac' ? ['Contents/Home/bin/java', 'Contents/Home/bin/javac'] : ['bin/java', 'bin/javac'];
      const stub = stubArchive(top, java, `Temurin ${jdk.semver} ${os}-${arch}`);
      binaries.push({ os, arch, platform, name, ...stub, served: { kind: 'body', body: stub.body } });
    }
  }
  return { ...jdk, binaries };
}

function assetPath(release: JavaRelease, binary: JavaBinary): string {
  return `/binaries/temurin${release.major}-binaries/releases/download/jdk-${encodeURIComponent(release.semver)}/${binary.name}`;
}

function versionData(r: JavaRelease) {
  return {
    build: r.build,
    major: r.major,
    minor: r.minor,
    openjdk_version: r.semver,
    security: r.security,
    semver: r.semver,
  };
}

function binaryJson(base: string, r: JavaRelease, b: JavaBinary) {
  const link = `${base}${assetPath(r, b)}`;
  return {
    architecture: b.arch,
    download_count: 0,
    heap_size: 'normal',
    image_type: 'jdk',
    jvm_impl: 'hotspot',
    os: b.os,
    package: {
      checksum: b.sha256,
      checksum_link: `${link}.sha256.txt`,
      download_count: 0,
      link,
      name: b.name,
      size: b.size,
    },
    project: 'jdk',
    updated_at: `${r.date}T00:00:00Z`,
  };
}

function matches(b: JavaBinary, query: URLSearchParams): boolean {
  const want = (key: string, value: string) => !query.has(key) || query.get(key) === value;
  return (
    want('os', b.os) &&
    want('architecture', b.arch) &&
    want('image_type', 'jdk') &&
    want('jvm_impl', 'hotspot') &&
    want('vendor', 'eclipse') &&
    want('heap_size', 'normal')
  );
}

export async function prepareJavaSite(cacheDir: string): Promise<RuntimeSite> {
  const releases = await Promise.all((await findJdks()).map((jdk) => buildRelease(cacheDir, jdk)));
  if (releases.length === 0)
    throw new Error(`mirror: no JDK with bin/javac and a release file in ${JVM_DIR}`);
  const features = releases.map((r) => r.major);
  return {
    runtime: 'java',
    prefix: '/java',
    versions: releases.map((r) => r.semver),
    archives: (base) =>
      releases.flatMap((r) =>
        r.binaries.map(
          (b): ArchiveInfo => ({
            runtime: 'java',
            version: r.semver,
            platform: b.platform,
            url: `${base}${assetPath(r, b)}`,
            sha256: b.sha256,
            size: b.size,
            real: b.served.kind === 'file',
            file: b.served.kind === 'file' ? b.served.archive.path : undefined,
          }),
        ),
      ),
    handler: (base) => (path, query) => {
      if (path === '/v3/info/available_releases') {
        const lts = features.filter((f) => f === 8 || f === 11 || (f >= 17 && (f - 17) % 4 === 0));
        return json({
          available_lts_releases: [...lts].sort((a, b) => a - b),
          available_releases: [...features].sort((a, b) => a - b),
          most_recent_feature_release: Math.max(...features),
          most_recent_feature_version: Math.max(...features),
          most_recent_lts: Math.max(...lts),
          tip_version: Math.max(...features) + 1,
        });
      }
      const feature = /^\/v3\/assets\/feature_releases\/(\d+)\/(ga|ea)$/.exec(path);
      if (feature) {
        const release = releases.find((r) => r.major === Number(feature[1]));
        if (!release || feature[2] === 'ea') return undefined;
        const binaries = release.binaries.filter((b) => matches(b, query));
        if (binaries.length === 0) return undefined;
        return json([
          {
            binaries: binaries.map((b) => binaryJson(base, release, b)),
            download_count: 0,
            id: `poly-mirror-${release.semver}`,
            release_link: `${base}/binaries/temurin${release.major}-binaries/releases/tag/jdk-${encodeURIComponent(release.semver)}`,
            release_name: `jdk-${release.semver}`,
            release_type: 'ga',
            timestamp: `${release.date}T00:00:00Z`,
            updated_at: `${release.date}T00:00:00Z`,
            vendor: 'eclipse',
            version_data: versionData(release),
          },
        ]);
      }
      const latest = /^\/v3\/assets\/latest\/(\d+)\/hotspot$/.exec(path);
      if (latest) {
        const release = releases.find((r) => r.major === Number(latest[1]));
        if (!release) return json([]);
        return json(
          release.binaries
            .filter((b) => matches(b, query))
            .map((b) => ({
              binary: binaryJson(base, release, b),
              release_link: `${base}/binaries/temurin${release.major}-binaries/releases/tag/jdk-${encodeURIComponent(release.semver)}`,
              release_name: `jdk-${release.semver}`,
              vendor: 'eclipse',
              version: versionData(release),
            })),
        );
      }
      for (const release of releases) {
        for (const binary of release.binaries) {
          const assetAt = decodeURIComponent(assetPath(release, binary));
          if (path === `${assetAt}.sha256.txt`) return text(shasumLine(binary.sha256, binary.name));
          if (path === assetAt)
            return binary.served.kind === 'file'
              ? { kind: 'file', ...binary.served.archive }
              : bytes(binary.served.body);
        }
      }
      return undefined;
    },
  };
}
