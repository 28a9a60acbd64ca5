import type { VersionSpec } from '../src/core/versions/spec.js';
import {
  ALL_PLATFORMS,
  type FetchText,
  joinUrl,
  type PlatformArtifacts,
  type PlatformKey,
  parseShaSums,
  platformKey,
  type RemoteVersion,
  type RuntimeDefinition,
  sha256Checksum,
} from './types.js';
import { firstLine, miseToolsEntry, toolVersionsEntry } from './version-files.js';

export const RUST_TRIPLES: Record<PlatformKey, string> = {
  'linux-x64': 'x86_64-unknown-linux-gnu',
  'linux-arm64': 'aarch64-unknown-linux-gnu',
  'darwin-x64': 'x86_64-apple-darwin',
  'darwin-arm64': 'aarch64-apple-darwin',
};

export function channelManifestUrl(base: string, name: string): string {
  return joinUrl(base, `dist/channel-rust-${name}.toml`);
}

/**
 * The two fields poly needs from a channel manifest (`date` and `[pkg.rust] version`),
 * read without parsing the whole (large) TOML document.
 */
export function parseChannelManifest(body: string): { version: string; date: string } | undefined {
  const date = /^date\s*=\s*"([^"]+)"/m.exec(body)?.[1] ?? '';
  const section = /^\[pkg\.rust\]\s*$([\s\S]*?)^\[/m.exec(`${body}\n[`)?.[1] ?? '';
  const version = /^version\s*=\s*"(\S+)/m.exec(section)?.[1];
  return version ? { version, date } : undefined;
}

/** Releases 1.0.0 up to the newest stable, for ranges and "did you mean" (patch releases need their own manifests). */
export function rustReleaseLine(stable: string): RemoteVersion[] {
  const minor = Number(stable.split('.')[1] ?? 0);
  const out: RemoteVersion[] = [{ version: stable, channel: 'stable' }];
  for (let m = minor; m >= 0; m--) if (`1.${m}.0` !== stable) out.push({ version: `1.${m}.0` });
  return out;
}

async function channel(base: string, name: string, fetch: FetchText) {
  const parsed = parseChannelManifest(await fetch(channelManifestUrl(base, name)));
  if (!parsed) throw new Error(`${channelManifestUrl(base, name)}: no [pkg.rust] version`);
  return parsed;
}

async function listRust(base: string, spec: VersionSpec, fetch: FetchText): Promise<RemoteVersion[]> {
  if (spec.kind === 'channel' && spec.channel !== 'stable') {
    const c = await channel(base, spec.channel, fetch);
    return [{ version: c.version, channel: spec.channel, meta: { archive: spec.channel, date: c.date } }];
  }
  const stable = await channel(base, 'stable', fetch);
  if (spec.kind === 'version' && !`${stable.version}.`.startsWith(`${spec.version}.`)) {
    // A specific release: its own channel manifest says whether it exists and its newest patch.
    const c = await channel(base, spec.version, fetch).catch((err: unknown) => {
      if ((err as { code?: string }).code === 'NOT_FOUND') return undefined;
      throw err;
    });
    if (c) return [{ version: c.version }, ...rustReleaseLine(stable.version)];
  }
  return rustReleaseLine(stable.version);
}

export const rust: RuntimeDefinition = {
  name: 'rust',
  pin: {
    aliases: ['stable', 'beta', 'nightly', 'nightly-YYYY-MM-DD'],
    isAlias: (spec) => /^(stable|beta|nightly)(-\d{4}-\d{2}-\d{2})?$/.test(spec),
    examples: { exact: '1.82.0', prefix: '1.82', range: '^1.80' },
  },
  officialBase: 'https://static.rust-lang.org',
  archive: { strip: 1, layout: 'rust-components' },
  mirrorEnv: 'POLY_RUST_MIRROR',
  sourceName: () => 'official',
  listVersions: (ctx, spec, fetch) => listRust(ctx.base, spec, fetch),
  async artifacts(ctx, remote, fetch) {
    const archive = remote.meta?.archive ?? remote.version;
    const dir = remote.meta?.date && remote.meta.archive ? `dist/${remote.meta.date}` : 'dist';
    const out: PlatformArtifacts = {};
    await Promise.all(
      ALL_PLATFORMS.map(async (p) => {
        const key = platformKey(p);
        const file = `rust-${archive}-${RUST_TRIPLES[key]}.tar.gz`;
        const url = joinUrl(ctx.base, `${dir}/${file}`);
        const hex = parseShaSums(await fetch(`${url}.sha256`)).get(file);
        if (hex) out[key] = { url, checksum: sha256Checksum(hex), strip: 1, layout: 'rust-components' };
      }),
    );
    return out;
  },
  binDirs: () => ['bin'],
  // Keep the user's CARGO_HOME (a private one would re-download every crate). rustup's proxies
  // (cargo, rustc in ~/.cargo/bin) honour RUSTUP_TOOLCHAIN, which may name a toolchain dir.
  env: (installDir) => ({ RUSTUP_TOOLCHAIN: installDir }),
  systemBinary: 'rustc',
  versionFiles: ['rust-toolchain.toml', 'rust-toolchain', '.tool-versions', 'mise.toml'],
  parseVersionFile(fileName, content) {
    if (fileName === '.tool-versions') return toolVersionsEntry(content, ['rust']);
    if (fileName === 'mise.toml') return miseToolsEntry(content, ['rust']);
    const channelLine = /^\s*channel\s*=\s*["']([^"']+)["']/m.exec(content)?.[1];
    if (channelLine) return channelLine;
    const line = firstLine(content);
    return line?.startsWith('[') ? undefined : line;
  },
  containerImage: (version) => `rust:${version}`,
};
