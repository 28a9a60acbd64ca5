import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PolyError } from '../errors.js';
import { postgresReady } from './postgres-wire.js';

/**
 * PostgreSQL refuses to run as root. Under root (CI containers, dev VMs)
 * poly runs initdb and postgres in a new user namespace (`unshare --user`),
 * where the same process is unprivileged and the files it makes stay the
 * caller's; nothing changes for anyone else. `os`: the OS poly runs on (its context's host.os).
 */
export function unprivilegedPrefix(os: string): string[] {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return [];
  if (os !== 'linux')
    throw new PolyError('DB_AS_ROOT', 'PostgreSQL cannot run as root', {
      hint: 'Run poly as a normal user.',
    });
  return ['unshare', '--user'];
}

/**
 * Runs a PostgreSQL program of the install to its end; throws with its output
 * when it fails. `input`: written to its stdin (commands for `postgres --single`).
 */
export async function runPostgresTool(
  binDir: string,
  tool: string,
  args: string[],
  what: string,
  os: string,
  input?: string,
): Promise<void> {
  const [cmd, ...prefix] = [...unprivilegedPrefix(os), join(binDir, tool)];
  const child = spawn(cmd as string, [...prefix, ...args], {
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  // A program that exits before reading it all closes the pipe: its exit code says why.
  child.stdin?.on('error', () => {});
  child.stdin?.end(input);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0)
    throw new PolyError(
      'DB_TOOL_FAILED',
      `${what}: ${tool} failed (exit ${code}):\n${output.trim().split('\n').slice(-8).join('\n')}`,
      {
        hint: 'Run again with POLY_DEBUG=1 for details; remove the data folder to start over.',
      },
    );
}

/** A free TCP port on 127.0.0.1 (for a server only poly talks to). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface TemporaryServer {
  port: number;
  /** Fast shutdown (SIGINT): rolls back open transactions, checkpoints, exits. */
  stop(): Promise<void>;
}

/**
 * A server on a data folder, on a private port, for poly's own work on it
 * (creating the database, init SQL, restore checks); no peer ever sees it.
 */
export async function startTemporaryServer(
  binDir: string,
  dataDir: string,
  user: string,
  os: string,
  timeoutMs = 60_000,
): Promise<TemporaryServer> {
  const port = await freeLoopbackPort();
  const [cmd, ...prefix] = [...unprivilegedPrefix(os), join(binDir, 'postgres')];
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
  ];
  const child = spawn(cmd as string, [...prefix, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (!(await postgresReady(port, user, 'postgres', 1000))) {
    if (exited || Date.now() > deadline) {
      await stopChild(child);
      throw new PolyError(
        'DB_START_FAILED',
        `PostgreSQL did not start on ${dataDir}:\n${log.trim().split('\n').slice(-6).join('\n')}`,
        {
          hint: existsSync(join(dataDir, 'postmaster.pid'))
            ? 'Another PostgreSQL may be using this data folder: stop it (poly down) and try again.'
            : 'See the log lines above.',
        },
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { port, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = once(child, 'exit');
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await closed;
  clearTimeout(timer);
}
