import type { DatabaseSpec, Manifest } from '../manifest/types.js';
import { officialDatabaseImage } from './official-image.js';
import { databaseCredentials } from './postgres-recipe.js';

/**
 * What `poly db` runs inside a container-mode database's container (docker
 * exec) or in a throwaway container of its image: the image's own tools, as
 * argument arrays; passwords go in the process's environment, not argv.
 * All of it is in the official images (psql, tar, mariadb, mariadb-backup,
 * redis-cli / valkey-cli, sh, find, cp).
 */
export interface ContainerCommand {
  cmd: string[];
  env: Record<string, string>;
}

/** The client, connected over TCP inside the container as the service's user, in its database. */
export function containerShellCommand(
  manifest: Pick<Manifest, 'project'>,
  db: DatabaseSpec,
  args: readonly string[],
): ContainerCommand {
  const c = databaseCredentials(manifest, db);
  if (db.name === 'postgres')
    return {
      cmd: ['psql', '-h', '127.0.0.1', '-U', c.user, '-d', c.database, ...args],
      env: { PGPASSWORD: c.password },
    };
  if (db.name === 'mariadb')
    return {
      cmd: [
        'mariadb',
        '--protocol=TCP',
        '--host=127.0.0.1',
        `--user=${c.user}`,
        `--database=${c.database}`,
        ...args,
      ],
      env: { MYSQL_PWD: c.password },
    };
  const cli = db.name === 'redis' ? 'redis-cli' : 'valkey-cli';
  return { cmd: [cli, ...args], env: db.password ? { REDISCLI_AUTH: db.password } : {} };
}

/** The folder a snapshot holds: PGDATA for postgres (a subfolder of the volume), the volume itself for mariadb. */
export function containerDataFolder(manifest: Pick<Manifest, 'project'>, db: DatabaseSpec): string {
  const official = officialDatabaseImage(manifest, db);
  return official.env.PGDATA ?? official.dataPath;
}

/** The user the image's server runs as, who must own restored files. */
export function containerDataOwner(db: DatabaseSpec): string {
  return db.name === 'postgres' ? 'postgres' : 'mysql';
}

/**
 * The files of a running PostgreSQL's data folder, as a tar on stdout,
 * between pg_backup_start and pg_backup_stop: what pg_basebackup leaves out
 * is left out. Files change while they are read (exit 1, "file changed"):
 * the WAL copied after the stop repairs them.
 */
export function postgresFilesCommand(pgdata: string): ContainerCommand {
  const skipped = ['postmaster.pid', 'postmaster.opts', 'pg_wal/*', 'pg_replslot/*', 'pg_stat_tmp/*'];
  return {
    cmd: [
      'tar',
      '-cf',
      '-',
      '--warning=no-file-changed',
      '--warning=no-file-removed',
      '--ignore-failed-read',
      ...skipped.map((p) => `--exclude=./${p}`),
      '-C',
      pgdata,
      '.',
    ],
    env: {},
  };
}

/** The WAL, as a tar on stdout, after pg_backup_stop (the temporary slot kept every segment since the start). */
export function postgresWalCommand(pgdata: string): ContainerCommand {
  // The server goes on writing (and recycling) segments past the backup's end: tar may see one change.
  const tolerant = ['--warning=no-file-changed', '--warning=no-file-removed', '--ignore-failed-read'];
  return {
    cmd: ['tar', '-cf', '-', ...tolerant, '--exclude=./pg_wal/archive_status/*', '-C', pgdata, './pg_wal'],
    env: {},
  };
}

/**
 * A running MariaDB's consistent copy, as a tar on stdout: mariadb-backup
 * copies the files while following the redo log, `--prepare` applies it, so
 * the folder starts as after a clean shutdown. Logged in as root (a backup
 * needs RELOAD, PROCESS and LOCK TABLES); the script is fixed text, the
 * folder a positional argument.
 */
export function mariadbBackupCommand(
  manifest: Pick<Manifest, 'project'>,
  db: DatabaseSpec,
): ContainerCommand {
  const script = [
    'set -e',
    'dir=$(mktemp -d)',
    'trap \'rm -rf "$dir"\' EXIT',
    'mariadb-backup --backup --host=127.0.0.1 --port=3306 --user=root --target-dir="$dir/copy" >&2',
    'mariadb-backup --prepare --target-dir="$dir/copy" >&2',
    'tar -cf - -C "$dir/copy" .',
  ].join('\n');
  return { cmd: ['sh', '-c', script], env: { MYSQL_PWD: databaseCredentials(manifest, db).password } };
}

/** A STOPPED server's data folder, consistent as it lies, as a tar on stdout (run in a throwaway container). */
export function stoppedCopyCommand(folder: string): ContainerCommand {
  return { cmd: ['tar', '-cf', '-', '--exclude=./postmaster.pid', '-C', folder, '.'], env: {} };
}

/**
 * Unpacks a tar from stdin into `folder` of a fresh volume, owned by the
 * server's user (run as root in a throwaway container of the image).
 */
export function unpackCommand(folder: string, owner: string): ContainerCommand {
  const script = 'set -e\nmkdir -p "$1"\ntar -xzf - -C "$1"\nchown -R "$2" "$1"\nchmod 700 "$1"';
  return { cmd: ['sh', '-c', script, 'sh', folder, `${owner}:${owner}`], env: {} };
}

/**
 * The server itself started once on the unpacked copy, without a port, and
 * stopped: PostgreSQL replays an online snapshot's WAL (single-user mode),
 * MariaDB starts InnoDB and reads the system tables (bootstrap mode). A copy
 * that cannot start fails here, before anything is replaced.
 */
export function verifyCommand(db: DatabaseSpec, folder: string): ContainerCommand & { input: string } {
  if (db.name === 'postgres')
    return { cmd: ['postgres', '--single', '-D', folder, 'postgres'], env: {}, input: 'SELECT 1;\n' };
  return {
    cmd: ['mariadbd', '--user=mysql', `--datadir=${folder}`, '--skip-networking', '--bootstrap'],
    env: {},
    input: 'SELECT COUNT(*) FROM mysql.global_priv;\n',
  };
}

/** Empties `to` and copies everything of `from` into it, owners and modes kept. */
export function replaceCommand(from: string, to: string): ContainerCommand {
  const script = 'set -e\nfind "$2" -mindepth 1 -delete\ncp -a "$1"/. "$2"/';
  return { cmd: ['sh', '-c', script, 'sh', from, to], env: {} };
}
