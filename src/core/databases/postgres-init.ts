import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { PolyError } from '../errors.js';
import type { DatabaseCredentials } from './peer-env.js';
import { runPostgresTool, startTemporaryServer } from './postgres-server.js';

/** Written last into a data folder that is complete: initialised, database created, init SQL run. */
export const READY_MARKER = 'poly-initialised';
/** Settings poly owns (listen address, the user's `config`), rewritten before every start. */
export const POLY_CONF = 'poly.conf';

export interface PostgresInit {
  binDir: string;
  dataDir: string;
  credentials: DatabaseCredentials;
  /** Absolute paths of the init SQL files, in order. */
  init: string[];
  /** For messages: the project folder (init files are named relative to it). */
  root: string;
  /** The OS poly runs on: under root on Linux, PostgreSQL runs in a user namespace. */
  os: string;
}

/**
 * Creates the data folder on a first run. Everything happens in a staging
 * folder beside it, which becomes the data folder only when initdb, the
 * database and every init file succeeded: a failed run leaves the data folder
 * as it was (absent), and the next run starts over. Returns false when there was one already.
 */
export async function initialisePostgres(opts: PostgresInit): Promise<boolean> {
  const { dataDir, credentials } = opts;
  if (existsSync(join(dataDir, READY_MARKER))) return false;
  // A data folder without the marker is one poly made before the marker existed, or not poly's.
  if (existsSync(join(dataDir, 'PG_VERSION'))) return false;
  const staging = join(dirname(dataDir), `.${basename(dataDir)}.init-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  const pwfile = join(staging, 'pwfile');
  const cluster = join(staging, 'data');
  try {
    writeFileSync(pwfile, credentials.password, { mode: 0o600 });
    await runPostgresTool(
      opts.binDir,
      'initdb',
      [
        '-D',
        cluster,
        '-U',
        credentials.user,
        `--pwfile=${pwfile}`,
        '-A',
        'scram-sha-256',
        '--no-locale',
        '-E',
        'UTF8',
        '--no-sync',
      ],
      'initialising the data folder',
      opts.os,
    );
    rmSync(pwfile);
    writeFileSync(
      join(cluster, 'postgresql.conf'),
      `\n# poly: listen address and [services] config\ninclude_if_exists = '${POLY_CONF}'\n`,
      {
        flag: 'a',
      },
    );
    await createAndSeed(opts, cluster);
    writeFileSync(join(cluster, READY_MARKER), `${new Date().toISOString()}\n`);
    mkdirSync(dirname(dataDir), { recursive: true });
    renameSync(cluster, dataDir);
    return true;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function createAndSeed(opts: PostgresInit, cluster: string): Promise<void> {
  const { credentials } = opts;
  if (credentials.database !== 'postgres') await createDatabase(opts, cluster);
  if (opts.init.length === 0) return;
  const server = await startTemporaryServer(opts.binDir, cluster, credentials.user, opts.os);
  const { default: pg } = await import('pg');
  try {
    const client = new pg.Client({ host: '127.0.0.1', port: server.port, ...credentials });
    await client.connect();
    try {
      for (const file of opts.init) await runInitFile(client, file, opts.root);
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
  }
}

/**
 * CREATE DATABASE in single-user mode (`postgres --single`, as initdb makes its
 * own databases): no server to start, wait for and stop, which was two thirds
 * of a first run's time beyond initdb. FILE_COPY (PostgreSQL 15 and later;
 * the only way before) copies template1's files instead of writing them all
 * through the WAL. fsync is off for this one step, as initdb's own --no-sync
 * leaves the whole new cluster: the folder is as durable as the OS makes it.
 * exit_on_error turns an ERROR into an exit code; single-user mode exits 0 otherwise.
 */
async function createDatabase(opts: PostgresInit, cluster: string): Promise<void> {
  const major = Number(readFileSync(join(cluster, 'PG_VERSION'), 'utf8').trim());
  const strategy = major >= 15 ? ' STRATEGY = FILE_COPY' : '';
  await runPostgresTool(
    opts.binDir,
    'postgres',
    ['--single', '-D', cluster, '-c', 'fsync=off', '-c', 'exit_on_error=on', 'postgres'],
    `creating the database ${opts.credentials.database}`,
    opts.os,
    `CREATE DATABASE ${quoteIdent(opts.credentials.database)}${strategy}\n`,
  );
}

/** One init file as one simple query: PostgreSQL runs its statements in order, in one transaction. */
async function runInitFile(client: { query(sql: string): Promise<unknown> }, file: string, root: string) {
  const shown = relative(root, file);
  let sql: string;
  try {
    sql = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PolyError('DB_INIT_FAILED', `init file ${shown} cannot be read: ${(err as Error).message}`, {
      hint: 'Fix the path in init = [...] in poly.toml. The data folder was not created.',
    });
  }
  try {
    await client.query(sql);
  } catch (err) {
    const e = err as { message: string; position?: string };
    const line = e.position ? sql.slice(0, Number(e.position) - 1).split('\n').length : undefined;
    throw new PolyError('DB_INIT_FAILED', `init file ${shown}${line ? `:${line}` : ''}: ${e.message}`, {
      hint: 'Fix the SQL and run poly up again: the data folder was not created, so every init file runs again.',
    });
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** poly.conf: what poly decides (loopback only, no unix socket) and the service's `config`. */
export function writePolyConf(dataDir: string, config: Record<string, string>): void {
  const lines = [`listen_addresses = '127.0.0.1'`, `unix_socket_directories = ''`];
  for (const [key, value] of Object.entries(config)) lines.push(`${key} = '${value.replace(/'/g, "''")}'`);
  writeFileSync(
    join(dataDir, POLY_CONF),
    `# Written by poly before every start; edit [services] config in poly.toml instead.\n${lines.join('\n')}\n`,
  );
}
