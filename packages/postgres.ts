import {
  ALL_PLATFORMS,
  joinUrl,
  type Platform,
  type PlatformArtifacts,
  platformKey,
} from '../runtimes/types.js';
import { PolyError } from '../src/core/errors.js';
import { compareVersions } from '../src/core/versions/compare.js';
import { mavenChecksum, mavenDefaultBase, mavenPath, parseMavenMetadata } from './maven.js';
import type { PackageDefinition } from './types.js';

/**
 * PostgreSQL publishes no binary tarballs for Linux or macOS. The maintained
 * relocatable builds are zonky's embedded-postgres binaries, published to Maven
 * Central for every PostgreSQL minor release, one artifact per platform:
 *   io/zonky/test/postgres/embedded-postgres-binaries-<os>-<arch>/<v>/embedded-postgres-binaries-<os>-<arch>-<v>.jar
 * with os-arch linux-amd64, linux-arm64v8, darwin-amd64, darwin-arm64v8. The
 * jar holds one `postgres-<os>-<cpu>.txz` whose tar has bin/ (initdb, pg_ctl,
 * postgres), lib/ and share/ at its top. It ships no psql or pg_dump.
 */
export const ZONKY_GROUP = 'io.zonky.test.postgres';

const ZONKY_PLATFORM: Record<string, string> = {
  'linux-x64': 'linux-amd64',
  'linux-arm64': 'linux-arm64v8',
  'darwin-x64': 'darwin-amd64',
  'darwin-arm64': 'darwin-arm64v8',
};

export function zonkyArtifactId(platform: Platform): string {
  return `embedded-postgres-binaries-${ZONKY_PLATFORM[platformKey(platform)]}`;
}

export function zonkyJarPath(platform: Platform, version: string): string {
  const id = zonkyArtifactId(platform);
  return mavenPath(ZONKY_GROUP, id, version, `${id}-${version}.jar`);
}

export const postgres: PackageDefinition = {
  name: 'postgres',
  mirrorEnv: 'POLY_POSTGRES_MIRROR',
  sourceName: 'zonky',
  archive: { strip: 0, layout: 'jar-txz' },
  binDirs: ['bin'],
  async defaultBase(env) {
    const base = await mavenDefaultBase(env);
    if (base) return base;
    throw new PolyError('MIRROR_UNSET', 'postgres: no Maven repository to download PostgreSQL from', {
      hint: 'poly takes PostgreSQL from the Maven repository your Maven uses (its settings.xml mirror, or its default). Install Maven, or set one: export POLY_POSTGRES_MIRROR=<maven repository url>, or `poly config set mirror.postgres <url>`.',
    });
  },
  async listVersions(base, platform, fetch, _env) {
    const xml = await fetch(
      joinUrl(base, mavenPath(ZONKY_GROUP, zonkyArtifactId(platform), undefined, 'maven-metadata.xml')),
    );
    return parseMavenMetadata(xml)
      .filter((v) => /^\d+\.\d+\.\d+$/.test(v))
      .sort((a, b) => compareVersions(b, a))
      .map((version) => ({ version, prerelease: false }));
  },
  async artifacts(base, version, fetch) {
    const out: PlatformArtifacts = {};
    for (const platform of ALL_PLATFORMS) {
      const url = joinUrl(base, zonkyJarPath(platform, version));
      try {
        out[platformKey(platform)] = {
          url,
          checksum: await mavenChecksum(url, fetch),
          strip: 0,
          layout: 'jar-txz',
        };
      } catch (err) {
        if ((err as PolyError).code !== 'NOT_FOUND') throw err;
      }
    }
    return out;
  },
};
