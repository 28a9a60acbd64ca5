import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectErrno, NOT_THERE } from '../errno.js';

/**
 * A cross-process lock per toolchain version: a directory created with
 * mkdir (atomic on every filesystem poly supports) holding the owner's pid.
 * A lock whose owner is dead (kill -9) is taken over; the second installer
 * waits, then finds the version installed and downloads nothing.
 */
export interface LockOptions {
  pollMs?: number;
  /** A lock dir with no owner file yet is stale after this long (its creator died between two syscalls). */
  orphanMs?: number;
  onWait?: (ownerPid: number | undefined) => void;
}

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(dir: string): number | undefined {
  try {
    return Number(readFileSync(join(dir, 'owner'), 'utf8').split('\n')[0]);
  } catch (err) {
    // Not written yet (the owner is between mkdir and its write), or the lock is gone.
    expectErrno(err, ...NOT_THERE);
    return undefined;
  }
}

function isStale(dir: string, orphanMs: number): boolean {
  const pid = ownerOf(dir);
  if (pid !== undefined) return !isProcessAlive(pid);
  try {
    return Date.now() - statSync(dir).mtimeMs > orphanMs;
  } catch (err) {
    expectErrno(err, ...NOT_THERE);
    return false;
  }
}

export async function acquireLock(
  locksDir: string,
  name: string,
  opts: LockOptions = {},
): Promise<() => void> {
  const dir = join(locksDir, `${name}.lock`);
  mkdirSync(locksDir, { recursive: true });
  let waited = false;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'owner'), `${process.pid}\n${new Date().toISOString()}\n`);
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (isStale(dir, opts.orphanMs ?? 5000)) {
      takeOver(dir);
      continue;
    }
    if (!waited) opts.onWait?.(ownerOf(dir));
    waited = true;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
  }
}

export async function withLock<T>(
  locksDir: string,
  name: string,
  fn: () => Promise<T>,
  opts?: LockOptions,
): Promise<T> {
  const release = await acquireLock(locksDir, name, opts);
  try {
    return await fn();
  } finally {
    release();
  }
}

/**
 * Removes a stale lock without removing a fresh one another waiter took in
 * between: move it aside first (atomic), then check it is the one judged stale.
 */
function takeOver(dir: string): void {
  const staleOwner = ownerOf(dir);
  const aside = `${dir}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(dir, aside);
  } catch (err) {
    // Another waiter took it over first.
    expectErrno(err, ...NOT_THERE);
    return;
  }
  if (ownerOf(aside) !== staleOwner) {
    try {
      renameSync(aside, dir);
      return;
    } catch (err) {
      // A new lock is in its place already (EEXIST, ENOTEMPTY).
      expectErrno(err, 'EEXIST', 'ENOTEMPTY', ...NOT_THERE);
      // The owner's lock is gone either way; its install re-checks the target before renaming.
    }
  }
  rmSync(aside, { recursive: true, force: true });
}
