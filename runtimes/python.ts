import { compareVersions } from '../src/core/versions/compare.js';
import {
  type Artifact,
  joinUrl,
  type PlatformArtifacts,
  type PlatformKey,
  parseShaSums,
  type RemoteVersion,
  type RuntimeDefinition,
  sha256Checksum,
} from './types.js';
import { firstLine, miseToolsEntry, toolVersionsEntry } from './version-files.js';

/** python-build-standalone release assets (the builds uv and mise install). */
export const PBS_OFFICIAL_BASE = 'https://github.com/astral-sh/python-build-standalone/releases/download';

interface UvEntry {
  name: string;
  arch: { family: string; variant?: string | null } | string;
  os: string;
  libc: string;
  major: number;
  minor: number;
  patch: number;
  prerelease?: string;
  url: string;
  sha256?: string | null;
  variant?: string | null;
  build?: string;
}

const PLATFORM_OF: Record<string, PlatformKey> = {
  'linux-x86_64-gnu': 'linux-x64',
  'linux-aarch64-gnu': 'linux-arm64',
  'darwin-x86_64-none': 'darwin-x64',
  'darwin-aarch64-none': 'darwin-arm64',
};

/** An official asset URL moved under a mirror base, as uv's UV_PYTHON_INSTALL_MIRROR does. */
export function rebaseUrl(url: string, officialBase: string, base: string): string {
  return url.startsWith(`${officialBase}/`) ? joinUrl(base, url.slice(officialBase.length + 1)) : url;
}

/** uv's download-metadata.json: CPython install_only builds for the four platforms, newest build per version. */
export function parseUvIndex(body: string, base: string): RemoteVersion[] {
  const data = JSON.parse(body) as Record<string, UvEntry>;
  const byVersion = new Map<
    string,
    { artifacts: PlatformArtifacts; builds: Partial<Record<PlatformKey, string>> }
  >();
  for (const e of Object.values(data)) {
    const arch = typeof e.arch === 'string' ? { family: e.arch, variant: null } : e.arch;
    if (e.name !== 'cpython' || arch.variant || e.variant) continue;
    const key = PLATFORM_OF[`${e.os}-${arch.family}-${e.libc}`];
    if (!key) continue;
    const version = `${e.major}.${e.minor}.${e.patch}${e.prerelease ?? ''}`;
    const entry = byVersion.get(version) ?? { artifacts: {}, builds: {} };
    const build = e.build ?? /\+(\d{8})-/.exec(decodeURIComponent(e.url))?.[1] ?? '';
    const previous = entry.builds[key];
    if (previous !== undefined && previous >= build) continue;
    entry.builds[key] = build;
    const artifact: Artifact = {
      url: rebaseUrl(e.url, PBS_OFFICIAL_BASE, base),
      checksum: e.sha256 ? sha256Checksum(e.sha256) : '',
      strip: 1,
    };
    entry.artifacts[key] = artifact;
    byVersion.set(version, entry);
  }
  return [...byVersion.entries()]
    .sort(([a], [b]) => compareVersions(b, a))
    .map(([version, { artifacts }]) => ({ version, artifacts }));
}

/** Links poly adds when the build lacks them, so `python` and `pip` work like `python3` and `pip3`. */
export const PYTHON_LINKS: Record<string, string> = { 'bin/python': 'python3', 'bin/pip': 'pip3' };

export const python: RuntimeDefinition = {
  name: 'python',
  pin: {
    aliases: [],
    isAlias: () => false,
    examples: { exact: '3.12.7', prefix: '3.12', range: '>=3.11 <3.13' },
  },
  officialBase: PBS_OFFICIAL_BASE,
  archive: { strip: 1 },
  mirrorEnv: 'POLY_PYTHON_MIRROR',
  officialIndexUrl:
    'https://raw.githubusercontent.com/astral-sh/uv/main/crates/uv-python/download-metadata.json',
  indexUrlEnv: 'POLY_PYTHON_INDEX_URL',
  sourceName: () => 'official',
  async listVersions(ctx, _spec, fetch) {
    return parseUvIndex(await fetch(ctx.indexUrl ?? python.officialIndexUrl ?? ''), ctx.base);
  },
  async artifacts(_ctx, remote, fetch) {
    const out: PlatformArtifacts = {};
    for (const [key, artifact] of Object.entries(remote.artifacts ?? {})) {
      if (!artifact) continue;
      let checksum = artifact.checksum;
      // Older index entries have no sha256: the release's SHA256SUMS asset has it.
      if (!checksum) {
        const dir = artifact.url.slice(0, artifact.url.lastIndexOf('/'));
        const file = decodeURIComponent(artifact.url.slice(dir.length + 1));
        const hex = parseShaSums(await fetch(`${dir}/SHA256SUMS`)).get(file);
        if (!hex) continue;
        checksum = sha256Checksum(hex);
      }
      out[key as PlatformKey] = { ...artifact, checksum };
    }
    return out;
  },
  binDirs: () => ['bin'],
  env: () => ({}),
  systemBinary: 'python3',
  versionFiles: ['.python-version', '.tool-versions', 'mise.toml'],
  parseVersionFile(fileName, content) {
    if (fileName === '.tool-versions') return toolVersionsEntry(content, ['python']);
    if (fileName === 'mise.toml') return miseToolsEntry(content, ['python']);
    return firstLine(content)?.replace(/^(cpython|python)-?/, '');
  },
  containerImage: (version) => `python:${version}`,
  links: PYTHON_LINKS,
};
