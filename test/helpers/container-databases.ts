import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execa } from 'execa';
import { containerName } from '../../src/core/docker/labels.js';
import { peerEnvFrom } from './postgres-project.js';
import { waitFor } from './services-project.js';

/** Shared by the container-mode database tests: the engine's view and real clients. */
export async function volumeExists(name: string): Promise<boolean> {
  return (await execa('docker', ['volume', 'inspect', name], { reject: false })).exitCode === 0;
}

/** The environment the engine gave a project's container (as its program sees it). */
export async function containerEnvOf(
  project: { name: string; root: string },
  service: string,
): Promise<string[]> {
  const inspect = await execa('docker', [
    'inspect',
    '-f',
    '{{json .Config.Env}}',
    containerName(project, service),
  ]);
  return JSON.parse(inspect.stdout) as string[];
}

/** The environment the native peer wrote to env.json (removed first, so a restart writes it anew). */
export async function nativePeerEnv(root: string, timeoutMs = 60_000): Promise<Record<string, string>> {
  const file = join(root, 'env.json');
  return waitFor(
    'the native peer to write its environment',
    () => existsSync(file) && peerEnvFrom(file),
    timeoutMs,
  );
}

export function forgetPeerEnv(root: string): void {
  rmSync(join(root, 'env.json'), { force: true });
}

/** Rows from the real `mariadb` client (Debian's), over TCP, logged in from a mysql:// URL. */
export async function mariadbQuery(url: string, sql: string): Promise<string[][]> {
  const u = new URL(url);
  const { stdout } = await promisify(execFile)(
    'mariadb',
    [
      '--no-defaults',
      '--protocol=TCP',
      `--host=${u.hostname}`,
      `--port=${u.port}`,
      `--user=${decodeURIComponent(u.username)}`,
      '--batch',
      '--skip-column-names',
      '-e',
      sql,
      decodeURIComponent(u.pathname.slice(1)),
    ],
    { env: { ...process.env, MYSQL_PWD: decodeURIComponent(u.password) } },
  );
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

/** redis-cli (Debian's), a real client, against a redis:// URL. */
export async function redisCli(url: string, ...args: string[]): Promise<string> {
  return (await execa('redis-cli', ['-u', url, ...args])).stdout.trim();
}
