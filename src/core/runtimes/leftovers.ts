import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expectErrno, NOT_THERE } from '../errno.js';
import type { StoreLayout } from '../store/layout.js';
import { isProcessRunning } from '../supervisor/process-alive.js';

/** Temp dirs are named `<pid>-…` so the next run knows which ones a dead process left behind. */
export function tempName(label: string): string {
  return `${process.pid}-${Math.random().toString(36).slice(2, 8)}-${label.replace(/[^A-Za-z0-9._+-]/g, '_')}`;
}

/** Removes temp dirs and stale locks of processes that no longer run (after a kill -9). Returns what it removed. */
export function cleanLeftovers(layout: StoreLayout): string[] {
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(layout.tmp);
  } catch (err) {
    expectErrno(err, ...NOT_THERE);
    return removed;
  }
  for (const name of names) {
    const pid = Number(name.split('-')[0]);
    // A killed install whose parent has not reaped it yet is a zombie: it will never finish.
    if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && isProcessRunning(pid))) continue;
    rmSync(join(layout.tmp, name), { recursive: true, force: true });
    removed.push(join(layout.tmp, name));
  }
  return removed;
}
