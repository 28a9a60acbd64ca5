import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DatabaseCredentials } from './peer-env.js';

/** What is never copied: the running server's lock and options, its temporary files. */
const SKIP = new Set(['postmaster.pid', 'postmaster.opts']);
const EMPTIED = new Set([
  'pg_wal',
  'pg_replslot',
  'pg_stat_tmp',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_subtrans',
]);

/** Copies a data folder into `dest`, leaving out what a base backup leaves out (pg_basebackup's list). */
function copyCluster(dataDir: string, dest: string): void {
  mkdirSync(dest, { recursive: true, mode: 0o700 });
  cpSync(dataDir, dest, {
    recursive: true,
    filter: (src) => {
      const rel = relative(dataDir, src);
      if (rel === '') return true;
      const [top, ...rest] = rel.split('/');
      if (rest.length === 0 && SKIP.has(top as string)) return false;
      if (rest.length > 0 && EMPTIED.has(top as string)) return false;
      return true;
    },
  });
  for (const dir of EMPTIED) mkdirSync(join(dest, dir), { recursive: true, mode: 0o700 });
  mkdirSync(join(dest, 'pg_wal', 'archive_status'), { recursive: true, mode: 0o700 });
}

/**
 * A consistent copy of a RUNNING server's data folder, the way pg_basebackup
 * makes one, without it (the embedded binaries ship none): a temporary
 * physical replication slot keeps every WAL segment from the backup's start,
 * pg_backup_start/pg_backup_stop bracket the file copy, the WAL is copied
 * after the stop, and backup_label tells the server restored from it where
 * to start replaying. Started from the copy, PostgreSQL replays to a consistent point.
 */
export async function copyRunningCluster(
  dataDir: string,
  dest: string,
  port: number,
  credentials: DatabaseCredentials,
): Promise<void> {
  await withBackupBracket(port, credentials, {
    during: async () => copyCluster(dataDir, dest),
    after: async (label) => {
      writeBackupLabel(dest, label);
      // Every segment written from the backup's start until now: the slot kept them.
      copyWal(dataDir, dest);
    },
  });
}

/** What pg_backup_stop returns: written into the copy, it tells the server where to start replaying. */
export interface BackupLabel {
  labelfile: string;
  spcmapfile: string | null;
}

export function writeBackupLabel(dest: string, label: BackupLabel): void {
  writeFileSync(join(dest, 'backup_label'), label.labelfile);
  if (label.spcmapfile) writeFileSync(join(dest, 'tablespace_map'), label.spcmapfile);
}

/**
 * The backup API around a file copy, over the server's port: a temporary
 * physical replication slot (kept until `after` is done) holds every WAL
 * segment from the start, pg_backup_start / pg_backup_stop bracket `during`,
 * and `after` gets the backup label once the stop is done. Shared by native
 * snapshots (the copy is a folder copy) and container ones (a tar in the container).
 */
export async function withBackupBracket(
  port: number,
  credentials: DatabaseCredentials,
  steps: { during: () => Promise<void>; after: (label: BackupLabel) => Promise<void> },
): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ host: '127.0.0.1', port, ...credentials, database: 'postgres' });
  await client.connect();
  try {
    const slot = `poly_snapshot_${process.pid}`;
    await client.query('SELECT pg_create_physical_replication_slot($1, true, true)', [slot]);
    // PostgreSQL 15 renamed the backup functions (and dropped the exclusive mode).
    const { rows: version } = await client.query<{ v: string }>(
      "SELECT current_setting('server_version_num') AS v",
    );
    const modern = Number(version[0]?.v) >= 150000;
    await client.query(
      modern
        ? "SELECT pg_backup_start('poly snapshot', true)"
        : "SELECT pg_start_backup('poly snapshot', true, false)",
    );
    const stop = modern
      ? 'SELECT labelfile, spcmapfile FROM pg_backup_stop(false)'
      : 'SELECT labelfile, spcmapfile FROM pg_stop_backup(false, false)';
    let stopped = false;
    try {
      await steps.during();
      const { rows } = await client.query<BackupLabel>(stop);
      stopped = true;
      await steps.after({ labelfile: rows[0]?.labelfile ?? '', spcmapfile: rows[0]?.spcmapfile ?? null });
    } finally {
      if (!stopped) await client.query(stop).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

/** A stopped server's data folder is consistent as it lies: copied whole (with its WAL). */
export function copyStoppedCluster(dataDir: string, dest: string): void {
  copyCluster(dataDir, dest);
  copyWal(dataDir, dest);
}

function copyWal(dataDir: string, dest: string): void {
  const wal = join(dataDir, 'pg_wal');
  for (const entry of readdirSync(wal)) {
    if (entry === 'archive_status') continue;
    cpSync(join(wal, entry), join(dest, 'pg_wal', entry), { recursive: true });
  }
}

/** Whether a postmaster holds the data folder (its pid file names a live process). */
export function isClusterRunning(dataDir: string, readPid: (file: string) => number | undefined): boolean {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return false;
  const pid = readPid(file);
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
