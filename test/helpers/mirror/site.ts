/**
 * What a runtime's part of the mirror serves: given a path below its mount point (already
 * URL-decoded, starting with `/`) and the query, a file from the cache, bytes made at start,
 * a redirect, or nothing (404).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export type Served =
  | { kind: 'file'; path: string; size: number; contentType?: string }
  | { kind: 'body'; body: Buffer; contentType: string }
  | { kind: 'redirect'; location: string };

export type SiteHandler = (path: string, query: URLSearchParams) => Served | undefined;

/** The four platforms a lockfile records. Only linux-x64 archives are real toolchains here. */
export const PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64'] as const;
export type MirrorPlatform = (typeof PLATFORMS)[number];

export function json(value: unknown): Served {
  return {
    kind: 'body',
    body: Buffer.from(`${JSON.stringify(value, null, 2)}\n`),
    contentType: 'application/json',
  };
}

export function text(value: string, contentType = 'text/plain; charset=utf-8'): Served {
  return { kind: 'body', body: Buffer.from(value), contentType };
}

export function bytes(body: Buffer, contentType = 'application/gzip'): Served {
  return { kind: 'body', body, contentType };
}

export const execFileText = async (file: string, args: string[]): Promise<string> => {
  const { stdout, stderr } = await promisify(execFile)(file, args, { maxBuffer: 16 * 1024 * 1024 });
  return `${stdout}${stderr}`;
};

/** Line `<sha256>  <name>` as sha256sum and the official SHASUMS files write it. */
export function shasumLine(sha256: string, name: string): string {
  return `${sha256}  ${name}\n`;
}

export type MirrorRuntime = 'node' | 'python' | 'go' | 'java' | 'rust';

/** One archive the mirror serves, as an index lists it. */
export interface ArchiveInfo {
  runtime: MirrorRuntime;
  version: string;
  platform: MirrorPlatform;
  url: string;
  sha256: string;
  size: number;
  /** True for the linux-x64 archives of real toolchains; false for the stub platforms. */
  real: boolean;
  /** The cached file served, for real archives (e.g. a benchmark's `sha256sum` + `tar -xzf` baseline). */
  file?: string;
}

/** A runtime's part of the mirror, built from the cache. */
export interface RuntimeSite {
  runtime: MirrorRuntime;
  /** Path prefix on the server, e.g. `/node/dist`. */
  prefix: string;
  /** Versions served, newest first, as the runtime writes them (Java: "17.0.15+6"). */
  versions: string[];
  handler(baseUrl: string): SiteHandler;
  archives(baseUrl: string): ArchiveInfo[];
}
