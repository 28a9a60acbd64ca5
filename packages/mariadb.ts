import { joinUrl, type PlatformArtifacts, sha256Checksum } from '../runtimes/types.js';
import { PolyError } from '../src/core/errors.js';
import { compareVersions } from '../src/core/versions/compare.js';
import type { PackageDefinition } from './types.js';

/**
 * MariaDB's own binary tarballs ("bintar"), from the MariaDB Foundation's archive of every release:
 *   https://archive.mariadb.org/                                            an index: href="mariadb-<v>/"
 *   …/mariadb-<v>/bintar-linux-systemd-<arch>/mariadb-<v>-linux-systemd-<arch>.tar.gz
 *   …/mariadb-<v>/bintar-linux-systemd-<arch>/sha256sums.txt                "<sha256>  <file>" lines
 * with <arch> x86_64 (and aarch64 where a release has it; poly.lock records what there is). The
 * tarball has one top folder `mariadb-<v>-linux-systemd-<arch>/` holding bin/ (mariadbd, mariadb,
 * mariadb-dump, mariadb-admin, mariadb-backup), scripts/mariadb-install-db, share/ (english/errmsg.sys,
 * charsets/, the bootstrap SQL: mysql_system_tables.sql …) and lib/plugin/. The systemd builds need
 * glibc 2.28. There are no macOS builds.
 */
export const MARIADB_ARCHIVE = 'https://archive.mariadb.org';

const ARCH: Record<string, string> = { 'linux-x64': 'x86_64', 'linux-arm64': 'aarch64' };

export function mariadbFolder(version: string, arch: string): string {
  return `mariadb-${version}/bintar-linux-systemd-${arch}`;
}

export function mariadbTarball(version: string, arch: string): string {
  return `mariadb-${version}-linux-systemd-${arch}.tar.gz`;
}

/** The release folders an archive index links to, newest first. */
export function parseArchiveIndex(html: string): string[] {
  const versions = new Set<string>();
  for (const m of html.matchAll(/href="(?:\.\/)?mariadb-(\d+\.\d+\.\d+)\/?"/g)) versions.add(m[1] as string);
  return [...versions].sort((a, b) => compareVersions(b, a));
}

/** The sha256 a sha256sums.txt gives for `file`. */
export function checksumFor(sums: string, file: string): string | undefined {
  for (const line of sums.split('\n')) {
    const [hex, name] = line.trim().split(/\s+\*?/, 2);
    if (name?.replace(/^\*/, '').split('/').pop() === file && /^[0-9a-fA-F]{64}$/.test(hex ?? ''))
      return (hex as string).toLowerCase();
  }
  return undefined;
}

export const mariadb: PackageDefinition = {
  name: 'mariadb',
  mirrorEnv: 'POLY_MARIADB_MIRROR',
  sourceName: 'official',
  archive: { strip: 1 },
  binDirs: ['bin'],
  async defaultBase() {
    return MARIADB_ARCHIVE;
  },
  async listVersions(base, platform, fetch) {
    if (platform.os !== 'linux')
      throw new PolyError('PLATFORM_UNSUPPORTED', `MariaDB publishes no binary tarballs for ${platform.os}`, {
        hint: 'Install it with your package manager (brew install mariadb) and run it as a service, or set mode = "container".',
      });
    return parseArchiveIndex(await fetch(`${base}/`)).map((version) => ({ version, prerelease: false }));
  },
  async artifacts(base, version, fetch) {
    const out: PlatformArtifacts = {};
    for (const [key, arch] of Object.entries(ARCH)) {
      const folder = joinUrl(base, mariadbFolder(version, arch));
      const file = mariadbTarball(version, arch);
      let sums: string;
      try {
        sums = await fetch(`${folder}/sha256sums.txt`);
      } catch (err) {
        if ((err as PolyError).code === 'NOT_FOUND') continue;
        throw err;
      }
      const hex = checksumFor(sums, file);
      if (!hex) throw new PolyError('CHECKSUM_INVALID', `${folder}/sha256sums.txt has no sha256 for ${file}`);
      out[key as keyof PlatformArtifacts] = {
        url: `${folder}/${file}`,
        checksum: sha256Checksum(hex),
        strip: 1,
      };
    }
    return out;
  },
};
