import { randomBytes } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { databaseVolumeName } from '../../core/databases/container-recipe.js';
import {
  type ContainerCommand,
  containerDataFolder,
  containerShellCommand,
  mariadbBackupCommand,
  postgresFilesCommand,
  postgresWalCommand,
  stoppedCopyCommand,
} from '../../core/databases/container-tools.js';
import { databaseImageOverride, officialDatabaseImage } from '../../core/databases/official-image.js';
import type { DatabaseCredentials } from '../../core/databases/peer-env.js';
import { type SnapshotInfo, takeSnapshot } from '../../core/databases/snapshots.js';
import { connectDocker, type DockerClient } from '../../core/docker/client.js';
import type { ContainerSpec } from '../../core/docker/container-spec.js';
import { inspectContainer } from '../../core/docker/containers.js';
import { execInRunning } from '../../core/docker/exec.js';
import { containerName, LABEL_SERVICE, type ProjectRef, projectLabels } from '../../core/docker/labels.js';
import { runAttached } from '../../core/docker/one-off.js';
import { volumeExists } from '../../core/docker/volumes.js';
import { PolyError } from '../../core/errors.js';
import type { DatabaseSpec, Manifest } from '../../core/manifest/types.js';

/**
 * `poly db shell/snapshot/restore` on a container-mode database: the image's
 * own tools run inside its container (docker exec) or, for a restore, in
 * throwaway containers of the same image on its volume. Snapshots are stored
 * under .poly/snapshots/ like native ones, with the image recorded.
 */
export interface ContainerDatabase {
  manifest: Manifest;
  service: string;
  db: DatabaseSpec;
  credentials: DatabaseCredentials;
  /** The environment the image override (POLY_<NAME>_IMAGE) is read from. */
  env: NodeJS.ProcessEnv;
  /** The published host port, while it runs. */
  port?: number;
}

export function projectOf(t: ContainerDatabase): ProjectRef {
  return { name: t.manifest.project.name, root: t.manifest.root };
}

export function databaseImage(t: ContainerDatabase): string {
  return databaseImageOverride(t.db, t.env) ?? officialDatabaseImage(t.manifest, t.db).image;
}

/** The service's container, which must be running. */
async function runningContainer(t: ContainerDatabase): Promise<{ client: DockerClient; name: string }> {
  const client = await connectDocker(t.env);
  const name = containerName(projectOf(t), t.service);
  if (!(await inspectContainer(client, name))?.running)
    throw new PolyError('DB_NOT_RUNNING', `${t.service} is not running (its container ${name} is not up)`, {
      hint: 'Start it with `poly up -d`.',
    });
  return { client, name };
}

/** `poly db shell` in the container: a TTY when poly has one, else piped input and output. */
export async function containerDatabaseShell(t: ContainerDatabase, args: readonly string[]): Promise<number> {
  const { client, name } = await runningContainer(t);
  const { cmd, env } = containerShellCommand(t.manifest, t.db, args);
  const { processStdio } = await import('../exec/container.js');
  const { stdio, restore } = processStdio();
  try {
    return await execInRunning(client, name, { cmd, env, stdio });
  } finally {
    restore();
  }
}

/** Collects a stream's text (for the tool's error message). */
function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return {
    stream,
    text: () => Buffer.concat(chunks).toString('utf8').trim().split('\n').slice(-15).join('\n'),
  };
}

function toolFailed(what: string, code: number, stderr: string): PolyError {
  return new PolyError('DB_TOOL_FAILED', `${what} failed in the container (exit ${code}):\n${stderr}`, {
    hint: 'The snapshot was not kept. Check `poly logs` for the database, then try again.',
  });
}

/** Runs a tool in the container whose stdout is a tar, unpacked into `dest`. `okCodes`: exits that still mean a copy. */
async function execTarInto(
  client: DockerClient,
  container: string,
  command: ContainerCommand,
  dest: string,
  what: string,
  okCodes: readonly number[] = [0],
): Promise<void> {
  const { extract } = await import('tar');
  const stdout = new PassThrough();
  const stderr = collector();
  const unpacked = pipeline(stdout, extract({ cwd: dest, strict: true }));
  const code = await execInRunning(client, container, {
    cmd: command.cmd,
    env: command.env,
    user: '0',
    stdio: { stdout, stderr: stderr.stream, tty: false },
  });
  stdout.end();
  await unpacked;
  if (!okCodes.includes(code)) throw toolFailed(what, code, stderr.text());
}

/** A consistent copy of the running database's data folder into `dest` (a host folder). */
async function copyFromContainer(t: ContainerDatabase, dest: string): Promise<void> {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dest, { recursive: true, mode: 0o700 });
  const { client, name } = await runningContainer(t);
  if (t.db.name === 'mariadb') {
    await execTarInto(client, name, mariadbBackupCommand(t.manifest, t.db), dest, 'mariadb-backup');
    return;
  }
  const pgdata = containerDataFolder(t.manifest, t.db);
  const { withBackupBracket, writeBackupLabel } = await import('../../core/databases/postgres-snapshot.js');
  await withBackupBracket(requirePort(t), t.credentials, {
    // GNU tar exits 1 for "file changed as we read it": the WAL replay repairs exactly that.
    during: () =>
      execTarInto(client, name, postgresFilesCommand(pgdata), dest, 'tar of the data folder', [0, 1]),
    after: async (label) => {
      writeBackupLabel(dest, label);
      await execTarInto(client, name, postgresWalCommand(pgdata), dest, 'tar of the WAL', [0, 1]);
    },
  });
}

function requirePort(t: ContainerDatabase): number {
  if (t.port === undefined)
    throw new PolyError('DB_NOT_STARTED', `${t.service} has no published port yet`, {
      hint: 'Run `poly up -d` first.',
    });
  return t.port;
}

/** A stopped database's volume, copied as it lies by a throwaway container of its image. */
async function copyStoppedVolume(t: ContainerDatabase, dest: string): Promise<void> {
  const { mkdirSync } = await import('node:fs');
  const { extract } = await import('tar');
  mkdirSync(dest, { recursive: true, mode: 0o700 });
  const client = await connectDocker(t.env);
  const stdout = new PassThrough();
  const unpacked = pipeline(stdout, extract({ cwd: dest, strict: true }));
  await runOnVolumes(client, t, {
    user: '0',
    volumes: [
      {
        name: databaseVolumeName(projectOf(t), t.service),
        target: officialDatabaseImage(t.manifest, t.db).dataPath,
      },
    ],
    command: stoppedCopyCommand(containerDataFolder(t.manifest, t.db)),
    stdin: Readable.from([]),
    stdout,
    what: 'copying the data volume',
    code: 'DB_TOOL_FAILED',
  });
  stdout.end();
  await unpacked;
}

/**
 * `poly db snapshot` of a container-mode PostgreSQL or MariaDB: online inside
 * its container while it runs, else its volume as it lies.
 */
export async function snapshotContainerDatabase(t: ContainerDatabase, name: string): Promise<SnapshotInfo> {
  const client = await connectDocker(t.env);
  const running = (await inspectContainer(client, containerName(projectOf(t), t.service)))?.running;
  if (!running && !(await volumeExists(client, databaseVolumeName(projectOf(t), t.service))))
    throw new PolyError('DB_NO_DATA', `${t.service} has no data volume yet`, {
      hint: 'Run `poly up` first.',
    });
  return takeSnapshot({
    root: t.manifest.root,
    service: t.service,
    name,
    database: `${t.db.name}@${t.db.spec}`,
    dataDir: '',
    image: databaseImage(t),
    ...(running ? { running: { port: requirePort(t), credentials: t.credentials } } : {}),
    copy: (dest) => (running ? copyFromContainer(t, dest) : copyStoppedVolume(t, dest)),
  });
}

/** One throwaway container of the database's image (restores use it too), as `user`, on the given volumes; fails with its stderr. */
export async function runOnVolumes(
  client: DockerClient,
  t: ContainerDatabase,
  opts: {
    user: string;
    volumes: ContainerSpec['volumes'];
    command: ContainerCommand;
    stdin: Readable;
    /** Where its stdout goes (a tar); default: kept for the error message. */
    stdout?: Writable;
    what: string;
    code?: 'SNAPSHOT_CORRUPT' | 'DB_TOOL_FAILED';
  },
): Promise<void> {
  const stderr = collector();
  const out = collector();
  const spec: ContainerSpec = {
    name: `${containerName(projectOf(t), t.service)}-poly-db-${randomBytes(3).toString('hex')}`,
    image: databaseImage(t),
    // The tool runs in place of the image's entrypoint, which would start the server.
    entrypoint: opts.command.cmd.slice(0, 1),
    cmd: opts.command.cmd.slice(1),
    env: opts.command.env,
    labels: { ...projectLabels(projectOf(t)), [LABEL_SERVICE]: t.service },
    binds: [],
    volumes: opts.volumes,
    ports: [],
    extraHosts: [],
    user: opts.user,
  };
  const exit = await runAttached(client, spec, {
    stdin: opts.stdin,
    stdout: opts.stdout ?? out.stream,
    stderr: stderr.stream,
    tty: false,
  });
  if (exit.code !== 0)
    throw new PolyError(
      opts.code ?? 'SNAPSHOT_CORRUPT',
      `${opts.what} failed (exit ${exit.code}):\n${stderr.text() || out.text()}`,
      {
        hint:
          opts.code === 'DB_TOOL_FAILED'
            ? 'The snapshot was not kept.'
            : `The data of ${t.service} was left as it was. Restore another snapshot.`,
      },
    );
}
