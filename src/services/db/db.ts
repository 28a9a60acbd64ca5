import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getPackage } from '../../../packages/index.js';
import type { PolyContext } from '../../core/context.js';
import { ensurePackage } from '../../core/databases/install-package.js';
import { mariadbLayout } from '../../core/databases/mariadb-server.js';
import {
  copyRunningMariadb,
  copyStoppedMariadb,
  verifyMariadbCopy,
} from '../../core/databases/mariadb-snapshot.js';
import type { DatabaseCredentials } from '../../core/databases/peer-env.js';
import { databaseCredentials, databaseDataDir } from '../../core/databases/postgres-recipe.js';
import { isClusterRunning } from '../../core/databases/postgres-snapshot.js';
import { databaseServicePeerEnv } from '../../core/databases/prepare.js';
import {
  defaultSnapshotName,
  listSnapshots,
  restoreSnapshot,
  type SnapshotInfo,
  takeSnapshot,
} from '../../core/databases/snapshots.js';
import { effectiveMode } from '../../core/docker/service-urls.js';
import { PolyError } from '../../core/errors.js';
import { requireManifest } from '../../core/manifest/load.js';
import type { DatabaseSpec, Manifest, ServiceSpec } from '../../core/manifest/types.js';
import { findOnPath } from '../../core/runtimes/system.js';
import { projectLayout } from '../../core/store/layout.js';
import { readSavedPorts } from '../../core/supervisor/ports.js';
import { didYouMean } from '../../core/text/did-you-mean.js';
import { askSupervisor } from '../up/control-client.js';

/** One database service of the project, as `poly db` works on it. */
interface DatabaseTarget {
  manifest: Manifest;
  spec: ServiceSpec & { database: DatabaseSpec };
  credentials: DatabaseCredentials;
  dataDir: string;
  /** The port it runs on (or last ran on), when known. */
  port?: number;
  running: boolean;
  /** Where it runs: as the supervisor reports it, else as poly.toml says. */
  mode: 'native' | 'container';
  /** The caller's environment (the store, PATH for psql, DOCKER_HOST) and machine. */
  ctx: PolyContext;
}

async function databaseTarget(cwd: string, service: string, ctx: PolyContext): Promise<DatabaseTarget> {
  const manifest = requireManifest(cwd);
  const databases = Object.values(manifest.services).filter((s) => s.database);
  const spec = manifest.services[service];
  if (!spec?.database) {
    const names = databases.map((s) => s.name);
    const guess = didYouMean(service, names);
    throw new PolyError('NOT_A_DATABASE', `${service} is not a database service of ${manifest.file}`, {
      hint: names.length
        ? `${guess ? `Did you mean "${guess}"? ` : ''}Database services: ${names.join(', ')}.`
        : 'Declare one: [services.db] use = "postgres@16".',
    });
  }
  const layout = projectLayout(manifest.root);
  const dataDir = databaseDataDir(manifest.root, service);
  const status = (await askSupervisor(layout, { cmd: 'ps' }).catch(() => undefined))?.info?.services.find(
    (s) => s.name === service,
  );
  const mode = status?.mode ?? effectiveMode(spec, manifest.project);
  const running =
    spec.database.name === 'postgres' && mode === 'native'
      ? isClusterRunning(dataDir, (file) => Number(readFileSync(file, 'utf8').split('\n')[0]) || undefined)
      : status?.state === 'healthy';
  const port =
    status?.port ??
    readSavedPorts(layout.portsFile)[service] ??
    (typeof spec.port === 'number' ? spec.port : undefined);
  return {
    manifest,
    spec: spec as DatabaseTarget['spec'],
    credentials: databaseCredentials(manifest, spec.database),
    dataDir,
    running,
    mode,
    ctx,
    ...(port !== undefined ? { port } : {}),
  };
}

/** The container side of `poly db` (db-container.ts), loaded only for a container-mode database. */
async function containerSide(t: DatabaseTarget) {
  const side = await import('./container.js');
  const { restoreContainerDatabase } = await import('./container-restore.js');
  const target = {
    manifest: t.manifest,
    service: t.spec.name,
    db: t.spec.database,
    credentials: t.credentials,
    env: t.ctx.env,
    ...(t.running && t.port !== undefined ? { port: t.port } : {}),
  };
  return {
    shell: (args: readonly string[]) => side.containerDatabaseShell(target, args),
    snapshot: (name: string) => side.snapshotContainerDatabase(target, name),
    restore: (name: string) => restoreContainerDatabase(target, name),
  };
}

function requirePort(t: DatabaseTarget): number {
  if (t.port === undefined)
    throw new PolyError('DB_NOT_STARTED', `${t.spec.name} has not been started yet, so it has no port`, {
      hint: 'Run `poly up` (or `poly up -d`) first.',
    });
  return t.port;
}

export interface DatabaseUrl {
  service: string;
  url: string;
  running: boolean;
}

/** `poly db url <service>`: the connection string a native peer gets as <NAME>_URL. */
export async function databaseUrl(options: {
  cwd: string;
  service: string;
  ctx: PolyContext;
}): Promise<DatabaseUrl> {
  const t = await databaseTarget(options.cwd, options.service, options.ctx);
  const env = databaseServicePeerEnv(t.manifest, t.spec, '127.0.0.1', requirePort(t));
  return { service: t.spec.name, url: Object.values(env)[0] as string, running: t.running };
}

/**
 * `poly db shell <service>`: psql, connected. The embedded binaries ship no
 * client, so it is the install's own psql when there is one, else the one on PATH.
 */
export async function databaseShell(options: {
  cwd: string;
  service: string;
  args?: string[];
  ctx: PolyContext;
}): Promise<number> {
  const t = await databaseTarget(options.cwd, options.service, options.ctx);
  const port = requirePort(t);
  if (!t.running)
    throw new PolyError('DB_NOT_RUNNING', `${t.spec.name} is not running`, {
      hint: 'Start it with `poly up -d`.',
    });
  if (t.mode === 'container') return (await containerSide(t)).shell(options.args ?? []);
  const installed = await installedPackage(t);
  if (t.spec.database.name === 'mariadb') return mariadbShell(installed, t, port, options.args ?? []);
  if (t.spec.database.name !== 'postgres') {
    const cli = join(installed, 'bin', 'valkey-cli');
    const secrets: Record<string, string> = t.spec.database.password
      ? { REDISCLI_AUTH: t.spec.database.password }
      : {};
    return runClient(
      cli,
      ['-h', '127.0.0.1', '-p', String(port), ...(options.args ?? [])],
      secrets,
      t.ctx.env,
    );
  }
  const psql = findOnPath('psql', { PATH: join(installed, 'bin') }) ?? findOnPath('psql', t.ctx.env);
  if (!psql)
    throw new PolyError(
      'DB_NO_CLIENT',
      `the ${t.spec.database.name} distribution poly installs ships no psql, and none is on PATH`,
      {
        hint: 'Install the PostgreSQL client (Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq), then run `poly db shell` again, or connect any client to `poly db url`.',
      },
    );
  const login = [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    t.credentials.user,
    '-d',
    t.credentials.database,
  ];
  return runClient(
    psql,
    [...login, ...(options.args ?? [])],
    { PGPASSWORD: t.credentials.password },
    t.ctx.env,
  );
}

/** The install's own `mariadb` client, over TCP to the service, logged in as its user, in its database. */
function mariadbShell(installed: string, t: DatabaseTarget, port: number, args: string[]): Promise<number> {
  const login = [
    '--no-defaults',
    '--protocol=TCP',
    '--host=127.0.0.1',
    `--port=${port}`,
    `--user=${t.credentials.user}`,
    `--database=${t.credentials.database}`,
  ];
  return runClient(
    join(installed, 'bin', 'mariadb'),
    [...login, ...args],
    { MYSQL_PWD: t.credentials.password },
    t.ctx.env,
  );
}

/** The client in the foreground; the password goes through the environment (argv is visible to every user in ps). */
function runClient(
  file: string,
  args: string[],
  secrets: Record<string, string>,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const child = spawn(file, args, { stdio: 'inherit', env: { ...env, ...secrets } });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function sqlDatabaseOnly(t: DatabaseTarget, what: string): void {
  if (t.spec.database.name !== 'postgres' && t.spec.database.name !== 'mariadb')
    throw new PolyError(
      'DB_UNSUPPORTED',
      `${what} is for PostgreSQL and MariaDB services; ${t.spec.name} is ${t.spec.database.name}`,
      {
        hint: `Its data is the RDB and append-only file in .poly/data/${t.spec.name}; copy that folder while it is stopped.`,
      },
    );
}

async function installedPackage(t: DatabaseTarget): Promise<string> {
  const platform = t.ctx.platform;
  if (!platform)
    throw new PolyError('PLATFORM_UNSUPPORTED', `no ${t.spec.database.name} for ${t.ctx.host.os}`);
  const done = await ensurePackage(
    getPackage(t.spec.database.name),
    t.spec.database.spec,
    { layout: t.ctx.layout, env: t.ctx.env, root: t.manifest.root, platform },
    t.spec.database.name,
  );
  return done.dir;
}

/** `poly db snapshot <service> [name]`: online through the backup API when it runs, else a copy. */
export async function snapshotDatabase(options: {
  cwd: string;
  service: string;
  name?: string;
  ctx: PolyContext;
}): Promise<SnapshotInfo> {
  const t = await databaseTarget(options.cwd, options.service, options.ctx);
  sqlDatabaseOnly(t, 'poly db snapshot');
  if (t.mode === 'container') return (await containerSide(t)).snapshot(options.name ?? defaultSnapshotName());
  const installed = await installedPackage(t);
  const version = installed.split('/').pop();
  const running = t.running ? { port: requirePort(t), credentials: t.credentials } : undefined;
  return takeSnapshot({
    ...(t.spec.database.name === 'mariadb' ? { copy: mariadbCopy(installed, t, running) } : {}),
    root: t.manifest.root,
    service: t.spec.name,
    name: options.name ?? defaultSnapshotName(),
    database: `${t.spec.database.name}@${version}`,
    dataDir: t.dataDir,
    ...(running ? { running } : {}),
  });
}

/** MariaDB's copy for a snapshot: mariadb-backup while it runs, the folder itself when stopped. */
function mariadbCopy(
  installed: string,
  t: DatabaseTarget,
  running: { port: number; credentials: DatabaseCredentials } | undefined,
): (dest: string) => Promise<void> {
  const layout = mariadbLayout(installed);
  return async (dest) =>
    running
      ? copyRunningMariadb(layout, t.dataDir, dest, running.port, running.credentials)
      : copyStoppedMariadb(t.dataDir, dest);
}

/** `poly db restore <service> <name>`: the database must be stopped (its data folder is replaced). */
export async function restoreDatabase(options: {
  cwd: string;
  service: string;
  name: string;
  ctx: PolyContext;
}): Promise<SnapshotInfo> {
  const t = await databaseTarget(options.cwd, options.service, options.ctx);
  sqlDatabaseOnly(t, 'poly db restore');
  if (t.running)
    throw new PolyError('DB_RUNNING', `${t.spec.name} is running; a restore replaces its data folder`, {
      hint: 'Stop it with `poly down`, restore, then `poly up` again.',
    });
  if (t.mode === 'container') return (await containerSide(t)).restore(options.name);
  const installed = await installedPackage(t);
  return restoreSnapshot({
    root: t.manifest.root,
    service: t.spec.name,
    name: options.name,
    dataDir: t.dataDir,
    binDir: join(installed, 'bin'),
    user: t.credentials.user,
    os: options.ctx.host.os,
    ...(t.spec.database.name === 'mariadb'
      ? { verify: (dir: string) => verifyMariadbCopy(mariadbLayout(installed), dir) }
      : {}),
  });
}

/** `poly db snapshots`: every complete snapshot of the project. */
export function databaseSnapshots(options: { cwd: string }): { snapshots: SnapshotInfo[] } {
  return { snapshots: listSnapshots(requireManifest(options.cwd).root) };
}

/**
 * `poly ps` shows a database service's URL as its peers get it, with the
 * dev user and password in it: that is where a user looks them up.
 */
export function withDatabaseUrls<T extends { name: string; port?: number; url?: string; mode?: string }>(
  root: string,
  services: T[],
): T[] {
  let manifest: Manifest;
  try {
    manifest = requireManifest(root);
  } catch {
    return services;
  }
  return services.map((s) => {
    const spec = manifest.services[s.name];
    // A container's port here is its published host port: the URL a native peer gets, as natively.
    if (!spec?.database || s.port === undefined) return s;
    const env = databaseServicePeerEnv(manifest, spec as DatabaseTarget['spec'], '127.0.0.1', s.port);
    return { ...s, url: Object.values(env)[0] as string };
  });
}
