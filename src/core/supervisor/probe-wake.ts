import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Cuts a health wait short when a file the service writes as it starts has
 * changed: PostgreSQL writes "ready" into postmaster.pid, and the probe then runs
 * at once instead of at the next tick of the start-up poll (up to 25 ms later,
 * more once it backs off). The poll stays: the wake only adds chances.
 */
export interface ProbeWake {
  /** Resolves after `ms`, when the file changes, or when `signal` aborts; at once if it changed since the last sleep. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  close(): void;
}

/** A wake on changes of `file` (its folder watched, so a file made later counts); undefined if it cannot be watched. */
export function fileChangeWake(file: string): ProbeWake | undefined {
  const name = basename(file);
  const waiters = new Set<() => void>();
  let changed = false;
  let watcher: FSWatcher;
  const wakeAll = () => {
    for (const wake of [...waiters]) wake();
  };
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changedName) => {
      // Some platforms give no name: count it as a change rather than miss one.
      if (changedName !== null && changedName !== name) return;
      changed = true;
      wakeAll();
    });
  } catch {
    return undefined;
  }
  watcher.on('error', () => watcher.close());
  return {
    sleep(ms, signal) {
      return new Promise((resolve) => {
        if (changed || signal.aborted) {
          changed = false;
          return resolve();
        }
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          waiters.delete(done);
          changed = false;
          resolve();
        };
        const timer = setTimeout(done, ms).unref();
        signal.addEventListener('abort', done, { once: true });
        waiters.add(done);
      });
    },
    close() {
      watcher.close();
      wakeAll();
    },
  };
}
