/**
 * The mirror's archive cache: every archive is built once into
 * `${POLY_TEST_CACHE:-~/.cache/poly-test}/mirror/v<N>/`, keyed by the source toolchain's
 * version, and reused by every later test run and process.
 *
 * Two processes may race to build the same archive (node's test runner runs files in
 * parallel). A lock directory (mkdir is atomic) makes one of them build while the other
 * waits; the builder writes to a temp name and renames, so a reader never sees half a file,
 * and a builder killed mid-way leaves only a temp file and a lock whose pid is dead, which
 * the next process clears.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Bump when a builder's output changes, so old caches are not reused. */
export const MIRROR_CACHE_VERSION = 1;

export function mirrorCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.POLY_TEST_CACHE || join(homedir(), '.cache', 'poly-test');
  return join(root, 'mirror', `v${MIRROR_CACHE_VERSION}`);
}

/** A built file and what an index needs to say about it. */
export interface CachedFile {
  path: string;
  size: number;
  sha256: string;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readMeta(path: string): Promise<CachedFile | undefined> {
  try {
    const meta = JSON.parse(await readFile(`${path}.meta.json`, 'utf8')) as CachedFile;
    const info = await stat(path);
    return info.size === meta.size ? { ...meta, path } : undefined;
  } catch {
    return undefined;
  }
}

async function takeLock(lockDir: string): Promise<boolean> {
  try {
    await mkdir(lockDir);
    await writeFile(join(lockDir, 'pid'), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const pid = Number(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => 'NaN'));
    // A lock without a pid file may be one being taken right now: only a dead owner is stale.
    if (Number.isInteger(pid) && !isAlive(pid)) await rm(lockDir, { recursive: true, force: true });
    return false;
  }
}

/**
 * Returns the cached file at `path`, building it first if needed. `build(tmpPath)` must
 * write the whole file to tmpPath; its sha256 and size are recorded beside it.
 */
export async function cachedFile(
  path: string,
  build: (tmpPath: string) => Promise<void>,
): Promise<CachedFile> {
  await mkdir(dirname(path), { recursive: true });
  const lockDir = `${path}.lock`;
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const ready = await readMeta(path);
    if (ready) return ready;
    if (await takeLock(lockDir)) break;
    if (Date.now() > deadline) throw new Error(`timed out waiting for another process to build ${path}`);
    await sleep(250);
  }
  try {
    const ready = await readMeta(path);
    if (ready) return ready;
    // Leftovers of builders that were killed: we hold the lock, so nobody else writes these.
    for (const name of await readdir(dirname(path)))
      if (name.startsWith(`${basename(path)}.tmp-`)) await rm(join(dirname(path), name), { force: true });
    const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
    try {
      await build(tmp);
      const meta = { size: (await stat(tmp)).size, sha256: await sha256File(tmp) };
      await rename(tmp, path);
      await writeFile(`${path}.meta.json.tmp-${process.pid}`, JSON.stringify(meta));
      await rename(`${path}.meta.json.tmp-${process.pid}`, `${path}.meta.json`);
      return { ...meta, path };
    } finally {
      await rm(tmp, { force: true });
    }
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
