import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { PolyError } from '../errors.js';
import { lastLines, type MariadbLayout, runMariadbTool, startSocketServer } from './mariadb-server.js';
import type { DatabaseCredentials } from './peer-env.js';
import { READY_MARKER } from './postgres-init.js';

/** The running server's own files, never part of a copy. */
const SKIP = new Set(['mariadbd.sock', 'mariadbd.pid', 'poly-init.sock', 'poly-bootstrap.sock']);

/** A copy of a STOPPED server's data folder: consistent as it is. */
export function copyStoppedMariadb(dataDir: string, dest: string): void {
  mkdirSync(dest, { recursive: true, mode: 0o700 });
  cpSync(dataDir, dest, {
    recursive: true,
    filter: (src) => !SKIP.has(relative(dataDir, src)),
  });
}

/**
 * A consistent copy of a RUNNING server, without stopping it: the install's
 * mariadb-backup copies the files while it follows the redo log, then
 * `--prepare` applies that log, so `dest` is a data folder a server starts on
 * as after a clean shutdown. Options go through a file (not argv, which every
 * user sees), and only that file (--defaults-file): no my.cnf of the machine's is read.
 */
export async function copyRunningMariadb(
  layout: MariadbLayout,
  dataDir: string,
  dest: string,
  port: number,
  credentials: DatabaseCredentials,
): Promise<void> {
  const backup = join(layout.bin, 'mariadb-backup');
  if (!existsSync(backup))
    throw new PolyError('DB_NO_CLIENT', 'this MariaDB install ships no mariadb-backup', {
      hint: 'Stop it with `poly down`, then take the snapshot: a stopped data folder is copied as it is.',
    });
  const options = join(dirname(dest), `.${basename(dest)}.backup.cnf`);
  writeFileSync(
    options,
    [
      '[mariadb-backup]',
      `datadir=${dataDir}`,
      'host=127.0.0.1',
      `port=${port}`,
      `user=${credentials.user}`,
      `password=${credentials.password}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  try {
    for (const step of [['--backup'], ['--prepare']]) {
      const run = await runMariadbTool(backup, [
        `--defaults-file=${options}`,
        ...step,
        `--target-dir=${dest}`,
      ]);
      if (run.code !== 0)
        throw new PolyError(
          'DB_TOOL_FAILED',
          `snapshot: mariadb-backup ${step[0]} failed (exit ${run.code}):\n${lastLines(run.output)}`,
          {
            hint: 'The snapshot was not kept. Stop the database (poly down) and try again to copy it stopped.',
          },
        );
    }
  } finally {
    rmSync(options, { force: true });
  }
  writeFileSync(join(dest, READY_MARKER), `${new Date().toISOString()}\n`);
}

/**
 * A restored folder is complete when it holds the system schema and poly's
 * marker, and a server started on it (no TCP, a private socket) comes up.
 */
export async function verifyMariadbCopy(layout: MariadbLayout, dir: string): Promise<void> {
  if (!existsSync(join(dir, 'mysql')) || !existsSync(join(dir, READY_MARKER)))
    throw new PolyError('SNAPSHOT_CORRUPT', 'the snapshot holds no complete data folder', {
      hint: 'The data folder was left as it was. Restore another snapshot.',
    });
  const scratch = `${dir}.check`;
  mkdirSync(scratch, { recursive: true, mode: 0o700 });
  try {
    const server = await startSocketServer(layout, dir, scratch);
    await server.stop();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
