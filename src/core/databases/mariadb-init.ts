import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { PolyError } from '../errors.js';
import {
  lastLines,
  type MariadbLayout,
  mariadbCnf,
  runMariadbTool,
  sqlIdent,
  sqlString,
  startSocketServer,
} from './mariadb-server.js';
import type { DatabaseCredentials } from './peer-env.js';
import { READY_MARKER } from './postgres-init.js';

/**
 * What mariadb-install-db feeds `mariadbd --bootstrap`, in its order (its
 * cat_sql). MariaDB 11 renamed the mysql_* files to mariadb_*; each entry
 * names the 11.x file first, then the 10.x one.
 */
const BOOTSTRAP_FILES: ReadonlyArray<readonly string[]> = [
  ['mariadb_system_tables.sql', 'mysql_system_tables.sql'],
  ['mariadb_performance_tables.sql', 'mysql_performance_tables.sql'],
  ['mariadb_system_tables_data.sql', 'mysql_system_tables_data.sql'],
  ['fill_help_tables.sql'],
  ['maria_add_gis_sp_bootstrap.sql'],
  ['mariadb_sys_schema.sql', 'mysql_sys_schema.sql'],
];

/** The install's copy of one bootstrap file, under whichever name its release uses. */
function bootstrapFile(share: string, names: readonly string[]): string {
  const found = names.map((n) => join(share, n)).find((f) => existsSync(f));
  if (!found)
    throw new PolyError('DB_TOOL_FAILED', `this MariaDB install has no ${names.join(' or ')} in ${share}`, {
      hint: 'The installed package is incomplete: delete that folder and run poly up again to reinstall it.',
    });
  return found;
}

export interface MariadbInit {
  layout: MariadbLayout;
  dataDir: string;
  credentials: DatabaseCredentials;
  init: string[];
  root: string;
}

/**
 * The bootstrap input: what mariadb-install-db runs (the system tables from
 * the install's share folder; no test database), then poly's own lines, one
 * statement a line as bootstrap mode reads them: the database, the dev user
 * with every privilege from 127.0.0.1 (the server listens nowhere else), and
 * root with the same password (no passwordless account is left).
 */
export function bootstrapSql(layout: MariadbLayout, c: DatabaseCredentials): string {
  const parts = ['create database if not exists mysql;', 'use mysql;', 'SET @auth_root_socket=NULL;'];
  for (const names of BOOTSTRAP_FILES) parts.push(readFileSync(bootstrapFile(layout.share, names), 'utf8'));
  const user = `${sqlString(c.user)}@'%'`;
  parts.push(
    `CREATE DATABASE IF NOT EXISTS ${sqlIdent(c.database)};`,
    "DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host <> 'localhost');",
    "DELETE FROM mysql.proxies_priv WHERE Host <> 'localhost';",
    'FLUSH PRIVILEGES;',
    `CREATE USER IF NOT EXISTS ${user} IDENTIFIED BY ${sqlString(c.password)};`,
    `GRANT ALL PRIVILEGES ON *.* TO ${user} WITH GRANT OPTION;`,
    `ALTER USER 'root'@'localhost' IDENTIFIED BY ${sqlString(c.password)};`,
  );
  return `${parts.join('\n')}\n`;
}

/**
 * A first run's data folder, made in a staging folder beside it that becomes
 * the data folder only once the bootstrap and every init file succeeded: a
 * failed run leaves it as it was (absent). False when there is one already.
 */
export async function initialiseMariadb(opts: MariadbInit): Promise<boolean> {
  const { dataDir, layout } = opts;
  if (existsSync(join(dataDir, READY_MARKER))) return false;
  // A data folder without the marker is not one poly made: it is used as it is.
  if (existsSync(join(dataDir, 'mysql'))) return false;
  const staging = join(dirname(dataDir), `.${basename(dataDir)}.init-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const data = join(staging, 'data');
  mkdirSync(data, { recursive: true, mode: 0o700 });
  try {
    const cnf = join(staging, 'bootstrap.cnf');
    // Its temporary tables in the staging folder, not a /tmp shared with every other server and cleaner.
    writeFileSync(cnf, `${mariadbCnf(layout, data, {}, 'poly-bootstrap.sock')}tmpdir=${staging}\n`);
    const boot = await runMariadbTool(
      join(layout.bin, 'mariadbd'),
      [`--defaults-file=${cnf}`, '--bootstrap', '--log-warnings=0', '--max_allowed_packet=8M'],
      { stdin: bootstrapSql(layout, opts.credentials) },
    );
    if (boot.code !== 0)
      throw new PolyError(
        'DB_TOOL_FAILED',
        `initialising the data folder: mariadbd --bootstrap failed (exit ${boot.code}):\n${lastLines(boot.output)}`,
        { hint: 'Run again with POLY_DEBUG=1 for details; the data folder was not created.' },
      );
    if (opts.init.length) await runInitFiles(opts, data, staging);
    writeFileSync(join(data, READY_MARKER), `${new Date().toISOString()}\n`);
    mkdirSync(dirname(dataDir), { recursive: true });
    renameSync(data, dataDir);
    return true;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Each init file through the install's own client, as root on the private socket, into the database. */
async function runInitFiles(opts: MariadbInit, data: string, staging: string): Promise<void> {
  const server = await startSocketServer(opts.layout, data, staging);
  try {
    for (const file of opts.init) {
      const shown = relative(opts.root, file);
      if (!existsSync(file))
        throw new PolyError('DB_INIT_FAILED', `init file ${shown} cannot be read: it does not exist`, {
          hint: 'Fix the path in init = [...] in poly.toml. The data folder was not created.',
        });
      const run = await runMariadbTool(
        join(opts.layout.bin, 'mariadb'),
        [
          '--no-defaults',
          `--socket=${server.socket}`,
          '--user=root',
          // The private server has no TLS (mariadbCnf); an 11.4+ client would otherwise insist on it.
          '--skip-ssl',
          '--default-character-set=utf8mb4',
          '--batch',
          opts.credentials.database,
        ],
        { stdinFile: file, env: { MYSQL_PWD: opts.credentials.password }, cwd: server.cwd },
      );
      if (run.code !== 0) throw initFileError(shown, run.output);
    }
  } finally {
    await server.stop();
  }
}

/** "ERROR 1064 (42000) at line 3: You have an error…" as "init file db/seed.sql:3: You have an error…". */
export function initFileError(shown: string, output: string): PolyError {
  const m = /ERROR \d+ \([0-9A-Z]+\) at line (\d+)(?: in file: '[^']*')?: (.*)/.exec(output);
  const where = m ? `${shown}:${m[1]}` : shown;
  return new PolyError('DB_INIT_FAILED', `init file ${where}: ${m ? m[2] : lastLines(output, 4)}`, {
    hint: 'Fix the SQL and run poly up again: the data folder was not created, so every init file runs again.',
  });
}
