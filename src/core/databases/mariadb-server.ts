import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { PolyError } from '../errors.js';
import type { MariadbTls } from './mariadb-tls.js';

/** Where an unpacked MariaDB tarball keeps what poly runs (see packages/mariadb.ts). */
export interface MariadbLayout {
  home: string;
  bin: string;
  /** The folder holding the bootstrap SQL (mysql_system_tables.sql …). */
  share: string;
  plugins: string;
}

/**
 * The install's folders; the share folder is `share/` in MariaDB's tarballs
 * (share/mysql in some repacks), found by its system tables SQL (mysql_* up
 * to 10.x, mariadb_* from 11.0).
 */
export function mariadbLayout(home: string): MariadbLayout {
  const hasSystemTables = (d: string) =>
    existsSync(join(d, 'mariadb_system_tables.sql')) || existsSync(join(d, 'mysql_system_tables.sql'));
  const share =
    ['share', join('share', 'mysql'), join('share', 'mariadb')]
      .map((d) => join(home, d))
      .find(hasSystemTables) ?? join(home, 'share');
  const plugins = [join(home, 'lib', 'plugin'), join(home, 'lib', 'mysql', 'plugin')].find((d) =>
    existsSync(d),
  );
  return { home, bin: join(home, 'bin'), share, plugins: plugins ?? join(home, 'lib', 'plugin') };
}

/** mariadbd refuses to run as root unless told to: under root, poly says so explicitly. */
function runAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The server's unix socket: relative, so inside the data folder (mariadbd works from there) at any depth. */
export const MARIADB_SOCKET = 'mariadbd.sock';

/**
 * The server's options file (poly.cnf in the data folder), rewritten before
 * every start: the install's own folders, 127.0.0.1 only, the unix socket
 * inside the data folder (a relative path escapes the 107-byte limit of an
 * absolute one), TLS with the data folder's certificate (none for poly's own
 * private servers), and the service's `config`. mariadbd reads only it.
 */
export function mariadbCnf(
  layout: MariadbLayout,
  dataDir: string,
  config: Record<string, string>,
  socket = MARIADB_SOCKET,
  tls?: MariadbTls,
): string {
  const lines = [
    '[mysqld]',
    `basedir=${layout.home}`,
    `datadir=${dataDir}`,
    `lc-messages-dir=${layout.share}`,
    `character-sets-dir=${join(layout.share, 'charsets')}`,
    `plugin-dir=${layout.plugins}`,
    'bind-address=127.0.0.1',
    `socket=${socket}`,
    `pid-file=${join(dataDir, 'mariadbd.pid')}`,
    'skip-name-resolve',
    // Level 2 (the default) logs every health check, which greets and hangs up, as an aborted connection.
    'log-warnings=1',
    // Without a certificate, 11.4+ would make a new one at every start (see mariadb-tls.ts): poly's
    // private servers (bootstrap, init, restore checks) have no TCP, so they go without TLS.
    ...(tls ? [`ssl-cert=${tls.cert}`, `ssl-key=${tls.key}`] : ['skip-ssl']),
  ];
  if (runAsRoot()) lines.push(`user=${userInfo().username}`);
  for (const [key, value] of Object.entries(config)) lines.push(`${key}=${value}`);
  return `# Written by poly before every start; edit [services] config in poly.toml instead.\n${lines.join('\n')}\n`;
}

export interface ToolRun {
  code: number | null;
  output: string;
}

/** Runs a program of the install to its end, `stdinFile` (if any) as its input. */
export async function runMariadbTool(
  file: string,
  args: string[],
  opts: { stdinFile?: string; stdin?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<ToolRun> {
  const child = spawn(file, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    env: { ...process.env, ...opts.env },
  });
  let output = '';
  const collect = (d: Buffer) => {
    output = (output + d.toString()).slice(-16_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.stdin?.on('error', () => {});
  if (opts.stdinFile) createReadStream(opts.stdinFile).pipe(child.stdin as NodeJS.WritableStream);
  else child.stdin?.end(opts.stdin ?? '');
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, output };
}

export function lastLines(output: string, n = 8): string {
  return output.trim().split('\n').slice(-n).join('\n');
}

export interface SocketServer {
  /** The socket's path relative to `cwd` (the data folder): a client started there reaches it. */
  socket: string;
  cwd: string;
  stop(): Promise<void>;
}

/**
 * mariadbd on a data folder with no TCP at all (`skip-networking`), its
 * socket inside that folder and its options file in `socketDir`, for poly's
 * own work (init SQL, restore checks). Ready once it logs "ready for
 * connections", after its crash recovery.
 */
export async function startSocketServer(
  layout: MariadbLayout,
  dataDir: string,
  socketDir: string,
  timeoutMs = 120_000,
): Promise<SocketServer> {
  const socket = 'poly-init.sock';
  const cnf = join(socketDir, 'poly-init.cnf');
  writeFileSync(cnf, `${mariadbCnf(layout, dataDir, {}, socket)}skip-networking\ntmpdir=${socketDir}\n`);
  const child = spawn(join(layout.bin, 'mariadbd'), [`--defaults-file=${cnf}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const ready = new Promise<boolean>((resolve) => {
    child.stderr?.on('data', (d: Buffer) => {
      log = (log + d.toString()).slice(-8000);
      if (/ready for connections/.test(log)) resolve(true);
    });
    child.once('exit', () => resolve(false));
    setTimeout(() => resolve(false), timeoutMs).unref();
  });
  if (!(await ready)) {
    await stopServer(child);
    throw new PolyError('DB_START_FAILED', `MariaDB did not start on ${dataDir}:\n${lastLines(log, 6)}`, {
      hint: existsSync(join(dataDir, 'mariadbd.pid'))
        ? 'Another MariaDB may be using this data folder: stop it (poly down) and try again.'
        : 'See the log lines above.',
    });
  }
  return { socket, cwd: dataDir, stop: () => stopServer(child) };
}

/** SIGTERM is mariadbd's clean shutdown (InnoDB flushes, then it exits). */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await closed;
  clearTimeout(timer);
}

/** A string literal for SQL: quoted, with quote and backslash escaped. */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** An identifier for SQL: backquoted. */
export function sqlIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
