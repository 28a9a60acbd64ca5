import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { PolyError } from '../errors.js';
import type { DatabaseCredentials } from './peer-env.js';
import { READY_MARKER } from './postgres-init.js';
import { startTemporaryServer } from './postgres-server.js';
import { copyRunningCluster, copyStoppedCluster } from './postgres-snapshot.js';

/**
 * Snapshots live in .poly/snapshots/<service>/<name>/: data.tar.gz (the data
 * folder, consistent) and snapshot.json, written last, with the archive's
 * sha256. A folder without snapshot.json is not a snapshot; one is only
 * built under a dot-name and renamed into place when complete.
 */
export interface SnapshotInfo {
  service: string;
  name: string;
  /** "postgres@16.4.0". */
  database: string;
  createdAt: string;
  bytes: number;
  sha256: string;
  /** Whether the server was running when it was taken (then it holds a backup_label to replay from). */
  online: boolean;
  /** Container mode: the image whose volume it was taken from (it restores into that volume, not .poly/data). */
  image?: string;
}

const ARCHIVE = 'data.tar.gz';
const META = 'snapshot.json';

export function snapshotsRoot(root: string): string {
  return join(root, '.poly', 'snapshots');
}

function snapshotDir(root: string, service: string, name: string): string {
  return join(snapshotsRoot(root), service, name);
}

export function defaultSnapshotName(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

export function checkSnapshotName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name))
    throw new PolyError('SNAPSHOT_NAME', `"${name}" is not a snapshot name`, {
      hint: 'Use letters, digits, ".", "_" and "-" (for example before-migration).',
    });
}

export interface TakeSnapshot {
  root: string;
  service: string;
  name: string;
  database: string;
  dataDir: string;
  /** Set when the server runs: it is copied online, through the backup API. */
  running?: { port: number; credentials: DatabaseCredentials };
  /** The database's own consistent copy into a folder (MariaDB's); default: PostgreSQL's. */
  copy?: (dest: string) => Promise<void>;
  /** Container mode: the image; the data is in its volume, not in dataDir. */
  image?: string;
}

export async function takeSnapshot(opts: TakeSnapshot): Promise<SnapshotInfo> {
  checkSnapshotName(opts.name);
  const final = snapshotDir(opts.root, opts.service, opts.name);
  if (existsSync(final))
    throw new PolyError('SNAPSHOT_EXISTS', `snapshot "${opts.name}" of ${opts.service} already exists`, {
      hint: 'Pick another name, or leave the name out for a timestamp.',
    });
  if (!opts.image && !existsSync(join(opts.dataDir, READY_MARKER)))
    throw new PolyError('DB_NO_DATA', `${opts.service} has no data folder yet`, {
      hint: 'Run `poly up` first.',
    });
  const staging = join(dirname(final), `.${opts.name}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const cluster = join(staging, 'cluster');
    if (opts.copy) await opts.copy(cluster);
    else if (opts.running)
      await copyRunningCluster(opts.dataDir, cluster, opts.running.port, opts.running.credentials);
    else copyStoppedCluster(opts.dataDir, cluster);
    const { create } = await import('tar');
    await create(
      { gzip: true, cwd: cluster, file: join(staging, ARCHIVE), portable: true },
      readdirSync(cluster),
    );
    rmSync(cluster, { recursive: true, force: true });
    const archive = join(staging, ARCHIVE);
    const info: SnapshotInfo = {
      service: opts.service,
      name: opts.name,
      database: opts.database,
      createdAt: new Date().toISOString(),
      bytes: statSync(archive).size,
      sha256: await sha256File(archive),
      online: !!opts.running,
      ...(opts.image ? { image: opts.image } : {}),
    };
    writeFileSync(join(staging, META), `${JSON.stringify(info, null, 2)}\n`);
    renameSync(staging, final);
    return info;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Every complete snapshot, by service then time. */
export function listSnapshots(root: string): SnapshotInfo[] {
  const out: SnapshotInfo[] = [];
  const base = snapshotsRoot(root);
  if (!existsSync(base)) return out;
  for (const service of readdirSync(base).sort()) {
    for (const name of readdirSync(join(base, service))) {
      if (name.startsWith('.')) continue;
      const info = readInfo(join(base, service, name));
      if (info) out.push(info);
    }
  }
  return out.sort((a, b) => a.service.localeCompare(b.service) || a.createdAt.localeCompare(b.createdAt));
}

function readInfo(dir: string): SnapshotInfo | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, META), 'utf8')) as SnapshotInfo;
  } catch {
    return undefined;
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface RestoreSnapshot {
  root: string;
  service: string;
  name: string;
  dataDir: string;
  binDir: string;
  user: string;
  /** The OS poly runs on (see unprivilegedPrefix). */
  os: string;
  /** The database's own check of an unpacked snapshot (MariaDB's); default: PostgreSQL's. */
  verify?: (dir: string) => Promise<void>;
}

/**
 * Replaces the data folder with a snapshot, only once the snapshot is known
 * good: its archive matches the recorded sha256, unpacks whole, and a server
 * started on the unpacked copy reaches a consistent state (replaying the WAL
 * of an online snapshot). Until the final rename the data folder is untouched.
 */
export async function restoreSnapshot(opts: RestoreSnapshot): Promise<SnapshotInfo> {
  const { info, archive } = await checkedSnapshot(opts);
  if (info.image)
    throw new PolyError(
      'SNAPSHOT_OTHER_MODE',
      `snapshot "${opts.name}" of ${opts.service} was taken in a container`,
      {
        hint: `It restores into the container's data volume: set mode = "container" on ${opts.service} (or run with poly up --container), then restore.`,
      },
    );
  const staging = join(dirname(opts.dataDir), `.${opts.service}.restore-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  const old = join(dirname(opts.dataDir), `.${opts.service}.replaced-${process.pid}`);
  try {
    const { extract } = await import('tar');
    await extract({ file: archive, cwd: staging, strict: true });
    if (opts.verify) await opts.verify(staging);
    else if (!existsSync(join(staging, 'PG_VERSION')) || !existsSync(join(staging, READY_MARKER)))
      throw new PolyError('SNAPSHOT_CORRUPT', `snapshot "${opts.name}" holds no complete data folder`, {
        hint: 'The data folder was left as it was. Restore another snapshot.',
      });
    // Replays an online snapshot's WAL now, so a snapshot that cannot start never replaces anything.
    if (!opts.verify) {
      const server = await startTemporaryServer(opts.binDir, staging, opts.user, opts.os);
      await server.stop();
    }
    if (existsSync(opts.dataDir)) renameSync(opts.dataDir, old);
    renameSync(staging, opts.dataDir);
    rmSync(old, { recursive: true, force: true });
    return info;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * A snapshot known to be whole: it has its snapshot.json, and its archive
 * matches the sha256 recorded there. Nothing is touched when it is not.
 */
export async function checkedSnapshot(opts: {
  root: string;
  service: string;
  name: string;
}): Promise<{ info: SnapshotInfo; archive: string }> {
  checkSnapshotName(opts.name);
  const dir = snapshotDir(opts.root, opts.service, opts.name);
  const info = readInfo(dir);
  if (!info) {
    const known = listSnapshots(opts.root)
      .filter((s) => s.service === opts.service)
      .map((s) => s.name);
    throw new PolyError('SNAPSHOT_NOT_FOUND', `no complete snapshot "${opts.name}" of ${opts.service}`, {
      hint: known.length
        ? `Snapshots of ${opts.service}: ${known.join(', ')}.`
        : `Take one with \`poly db snapshot ${opts.service}\`.`,
    });
  }
  const archive = join(dir, ARCHIVE);
  const actual = existsSync(archive) ? await sha256File(archive) : 'missing';
  if (actual !== info.sha256)
    throw new PolyError(
      'SNAPSHOT_CORRUPT',
      `snapshot "${opts.name}" of ${opts.service} is damaged: ${ARCHIVE} does not match its checksum`,
      {
        hint: 'The data folder was left as it was. Restore another snapshot.',
      },
    );
  return { info, archive };
}
