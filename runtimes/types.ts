import type { RuntimeName } from '../src/core/manifest/types.js';
import type { AvailableVersion } from '../src/core/versions/resolve.js';
import type { VersionSpec } from '../src/core/versions/spec.js';

export type OS = 'linux' | 'darwin';
export type Arch = 'x64' | 'arm64';
export interface Platform {
  os: OS;
  arch: Arch;
}

export const ALL_PLATFORMS: readonly Platform[] = [
  { os: 'linux', arch: 'x64' },
  { os: 'linux', arch: 'arm64' },
  { os: 'darwin', arch: 'x64' },
  { os: 'darwin', arch: 'arm64' },
];

export type PlatformKey = 'linux-x64' | 'linux-arm64' | 'darwin-x64' | 'darwin-arm64';

export function platformKey(p: Platform): PlatformKey {
  return `${p.os}-${p.arch}` as PlatformKey;
}

/** The host (process.platform, process.arch) as archives name it; undefined where no toolchain is offered. */
export function currentPlatform(host: { os: string; arch: string }): Platform | undefined {
  const os = host.os === 'linux' || host.os === 'darwin' ? host.os : undefined;
  const arch = host.arch === 'x64' || host.arch === 'arm64' ? host.arch : undefined;
  return os && arch ? { os, arch } : undefined;
}

/**
 * One downloadable toolchain archive for one platform.
 * `checksum` is `sha256:<hex>` or an SRI string `sha512-<base64>` (npm).
 */
export interface Artifact {
  url: string;
  checksum: string;
  /** Leading path components to drop when unpacking (the archive's top folder). */
  strip: number;
  /** `rust-components`: a Rust installer tarball, assembled from `components` and each `manifest.in`. `jar-txz`: a jar holding one .txz (a database package). */
  layout?: 'plain' | 'rust-components' | 'jar-txz';
  /** Bytes, when the index says so (for progress before headers arrive). */
  size?: number;
}

export type PlatformArtifacts = Partial<Record<PlatformKey, Artifact>>;

/** Where a runtime's files come from, after mirrors and settings are applied. */
export interface SourceContext {
  /** Base URL of the runtime's official layout (the official host or a mirror), no trailing slash. */
  base: string;
  /** Python only: the version index URL (uv's download-metadata.json layout). */
  indexUrl?: string;
  /** Node only: "npm" to take Node from the npm registry npm is configured with. */
  source?: 'official' | 'npm';
  /** Node with source "npm": the registry URL npm reports, with a trailing slash. */
  npmRegistry?: string;
  /** Java only: "temurin". */
  distribution?: string;
}

/** Fetches a text document (an index, a checksum file), cached by the engine. 404 throws NOT_FOUND. */
export type FetchText = (url: string, accept?: string) => Promise<string>;

/** A version from a remote index; `meta` carries what the runtime needs later to build its artifacts. */
export interface RemoteVersion extends AvailableVersion {
  meta?: Record<string, string>;
  /** Artifacts the index already describes (Go, Python, Java), by platform. */
  artifacts?: PlatformArtifacts;
}

/**
 * What poly knows about one runtime: data and small hooks. Hooks that need
 * remote documents receive a FetchText, so they are testable without a network.
 * The install engine (src/core/runtimes) does download, verify, unpack and
 * atomic install once for every runtime. An install dir holds the archive's
 * content with its top folder stripped.
 */
/** A pin split into what it says: "temurin-21" -> { spec: "21", distribution: "temurin" }. */
export interface PinParts {
  spec: string;
  /** Java only: the distribution the pin names. */
  distribution?: string;
  /** Node only: "npm" for `npm:22`. */
  source?: 'npm';
}

/**
 * How this runtime's pins may be written beyond digits, prefixes and ranges, which
 * every runtime shares (src/core/versions/pin.ts reads this; nothing else parses pins).
 */
export interface PinSyntax {
  /** Words accepted as a spec besides "latest" and "system", as messages show them. */
  aliases: readonly string[];
  /** True when `spec` is one of those words ("lts/iron", "nightly-2024-05-01"). */
  isAlias(spec: string): boolean;
  /** Takes apart a prefix that is not the version (java's "temurin-21", node's "npm:22"). */
  split?(text: string): PinParts;
  /** For messages: an exact version, a prefix and a range of this runtime. */
  examples: { exact: string; prefix: string; range: string };
}

export interface RuntimeDefinition {
  name: RuntimeName;
  /** The forms its pins take (aliases, prefixes). */
  pin: PinSyntax;
  /** Default base URL (official host) and the variable that replaces it. */
  officialBase: string;
  mirrorEnv: string;
  /** Python: the official version index and its variable. */
  officialIndexUrl?: string;
  indexUrlEnv?: string;
  /** Where the versions list comes from, for messages and the `source` column of poly.lock. */
  sourceName(ctx: SourceContext): string;
  /** Versions offered for this spec, newest first (some sources list only what the spec needs). */
  listVersions(ctx: SourceContext, spec: VersionSpec, fetch: FetchText): Promise<RemoteVersion[]>;
  /** The archive and checksum for every platform the source offers this version on. */
  artifacts(ctx: SourceContext, version: RemoteVersion, fetch: FetchText): Promise<PlatformArtifacts>;
  /** Folders under the install dir that hold the executables, in PATH order. */
  binDirs(platform: Platform): string[];
  /** Variables the toolchain needs (JAVA_HOME, GOROOT …), given its install dir. */
  env(installDir: string, platform: Platform): Record<string, string>;
  /** The executable that proves a `system` pin exists on PATH. */
  systemBinary: string;
  /** Idiomatic version files it reads, in precedence order. */
  versionFiles: string[];
  /** The spec a version file holds, or undefined when it names none for this runtime. */
  parseVersionFile(fileName: string, content: string): string | undefined;
  /** A container image with this version, for container mode without poly's toolchain. */
  containerImage(version: string): string;
  /** How its archives unpack: top folders to strip, and Rust's component installer layout. */
  archive: { strip: number; layout?: 'rust-components' };
  /** Symlinks added after unpacking when the archive lacks them (path under the install dir -> target). */
  links?: Record<string, string>;
}

export function sha256Checksum(hex: string): string {
  return `sha256:${hex.trim().toLowerCase()}`;
}

/** `<hex>  <name>` lines (sha256sum, SHASUMS256.txt, SHA256SUMS) -> name -> hex. */
export function parseShaSums(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of body.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+?)\s*$/.exec(line);
    if (m?.[1] && m[2]) out.set(m[2].replace(/^\.\//, ''), m[1].toLowerCase());
  }
  return out;
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
