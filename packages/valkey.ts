import { joinUrl, type PlatformArtifacts, sha256Checksum } from '../runtimes/types.js';
import { PolyError } from '../src/core/errors.js';
import { compareVersions, isPrerelease } from '../src/core/versions/compare.js';
import type { PackageDefinition } from './types.js';

/**
 * Valkey (the Linux Foundation's fork of Redis 7.2, protocol- and
 * command-compatible) publishes official binary tarballs for Linux:
 *   https://download.valkey.io/releases/valkey-<v>-jammy-<x86_64|arm64>.tar.gz
 *   … .tar.gz.sha256   (hex, or "<hex>  <name>")
 * each with one top folder `valkey-<v>-jammy-<arch>/` holding bin/valkey-server and
 * bin/valkey-cli (with redis-* links in newer releases). The Ubuntu 22.04 ("jammy") builds need
 * glibc 2.35. There are no macOS builds. The list of versions is the GitHub
 * releases of valkey-io/valkey (POLY_VALKEY_INDEX_URL replaces it). Redis itself
 * publishes no binaries: `use = "redis@7"` installs Valkey 7.x, its drop-in.
 */
export const VALKEY_INDEX_URL = 'https://api.github.com/repos/valkey-io/valkey/releases?per_page=100';

const ARCH: Record<string, string> = { 'linux-x64': 'x86_64', 'linux-arm64': 'arm64' };

export function valkeyArchive(version: string, arch: string): string {
  return `valkey-${version}-jammy-${arch}.tar.gz`;
}

export const valkey: PackageDefinition = {
  name: 'valkey',
  mirrorEnv: 'POLY_VALKEY_MIRROR',
  sourceName: 'official',
  archive: { strip: 1 },
  binDirs: ['bin'],
  async defaultBase() {
    return 'https://download.valkey.io/releases';
  },
  async listVersions(_base, platform, fetch, env) {
    if (platform.os !== 'linux')
      throw new PolyError('PLATFORM_UNSUPPORTED', `Valkey publishes no binaries for ${platform.os}`, {
        hint: 'Install it with your package manager (brew install valkey) and run it as a service with run = "valkey-server --port $PORT".',
      });
    const releases = JSON.parse(await fetch(env.POLY_VALKEY_INDEX_URL || VALKEY_INDEX_URL)) as Array<{
      tag_name?: string;
      prerelease?: boolean;
      draft?: boolean;
    }>;
    return releases
      .filter((r) => r.tag_name && !r.draft)
      .map((r) => (r.tag_name as string).replace(/^v/, ''))
      .filter((v) => /^\d+\.\d+\.\d+/.test(v))
      .sort((a, b) => compareVersions(b, a))
      .map((version) => ({ version, prerelease: isPrerelease(version) }));
  },
  async artifacts(base, version, fetch) {
    const out: PlatformArtifacts = {};
    for (const [key, arch] of Object.entries(ARCH)) {
      const url = joinUrl(base, valkeyArchive(version, arch));
      try {
        const hex = /^[0-9a-fA-F]{64}/.exec((await fetch(`${url}.sha256`)).trim())?.[0];
        if (!hex) throw new PolyError('CHECKSUM_INVALID', `the checksum file of ${url} holds no sha256`);
        out[key as keyof PlatformArtifacts] = { url, checksum: sha256Checksum(hex), strip: 1 };
      } catch (err) {
        if ((err as PolyError).code !== 'NOT_FOUND') throw err;
      }
    }
    return out;
  },
};
