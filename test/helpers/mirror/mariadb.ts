/**
 * The MariaDB Foundation's archive layout on 127.0.0.1 (POLY_MARIADB_MIRROR is `{url}/mariadb`):
 *   {url}/mariadb/                     the index: <a href="mariadb-<v>/">
 *   {url}/mariadb/mariadb-<v>/bintar-linux-systemd-x86_64/mariadb-<v>-linux-systemd-x86_64.tar.gz
 *   {url}/mariadb/mariadb-<v>/bintar-linux-systemd-x86_64/sha256sums.txt   "<sha256>  <file>"
 * The tarball is this machine's REAL server: Debian's mariadb-server-core, mariadb-client and
 * mariadb-backup repacked into the bintar's layout (top folder mariadb-<v>-linux-systemd-x86_64/
 * with bin/, scripts/, share/, lib/plugin/) under Debian's version number (10.11.x on Debian 12).
 * Built once into the mirror cache, byte for byte reproducible (sorted, mtime 0, gzip -n).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { mirrorCacheDir } from './cache.js';
import { type HttpMirror, startHttpMirror } from './server.js';
import { type Served, text } from './site.js';

export interface MariadbMirror extends Pick<HttpMirror, 'requests' | 'faults' | 'close'> {
  env: { POLY_MARIADB_MIRROR: string };
  version: string;
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

function buildArchive(version: string): string {
  const dir = join(mirrorCacheDir(), 'mariadb');
  const name = `mariadb-${version}-linux-systemd-x86_64`;
  const archive = join(dir, `${name}.tar.gz`);
  if (existsSync(archive)) return archive;
  const staging = join(dir, `.build-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const top = join(staging, name);
  for (const sub of ['bin', 'scripts', 'lib/plugin']) mkdirSync(join(top, sub), { recursive: true });
  for (const [from, to] of FILES) copyFileSync(from, join(top, to));
  cpSync('/usr/share/mysql', join(top, 'share'), { recursive: true });
  if (existsSync('/usr/lib/mysql/plugin'))
    cpSync('/usr/lib/mysql/plugin', join(top, 'lib/plugin'), { recursive: true });
  const tar = join(staging, 'out.tar');
  execFileSync('tar', [
    '-cf',
    tar,
    '--sort=name',
    '--mtime=@0',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '-C',
    staging,
    name,
  ]);
  execFileSync('gzip', ['-n', '-6', tar]);
  renameSync(`${tar}.gz`, archive);
  rmSync(staging, { recursive: true, force: true });
  return archive;
}

export async function startMariadbMirror(): Promise<MariadbMirror> {
  const version = debianMariadbVersion();
  if (!version)
    throw new Error(
      'mariadbd is not installed (apt-get install mariadb-server-core mariadb-client mariadb-backup)',
    );
  const archive = buildArchive(version);
  const file = `mariadb-${version}-linux-systemd-x86_64.tar.gz`;
  const folder = `/mariadb-${version}/bintar-linux-systemd-x86_64`;
  const sha = createHash('sha256').update(readFileSync(archive)).digest('hex');
  const files = new Map<string, Served>();
  files.set(
    '/',
    text(
      `<html><body><a href="../">../</a>\n<a href="mariadb-${version}/">mariadb-${version}/</a>\n</body></html>\n`,
      'text/html',
    ),
  );
  files.set(`${folder}/${file}`, {
    kind: 'file',
    path: archive,
    size: statSync(archive).size,
    contentType: 'application/gzip',
  });
  files.set(`${folder}/sha256sums.txt`, text(`${sha}  ${file}\n`));
  const http = await startHttpMirror([
    { prefix: '/mariadb', handler: () => (path) => files.get(path || '/') },
  ]);
  return {
    env: { POLY_MARIADB_MIRROR: `${http.url}/mariadb` },
    version,
    requests: http.requests,
    faults: http.faults,
    close: () => http.close(),
  };
}
