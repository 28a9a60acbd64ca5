import { type FSWatcher, watch } from 'node:fs';
import type { ServiceSpec } from '../../core/manifest/types.js';
import type { Supervisor } from '../../core/supervisor/supervisor.js';
import { changeFilter } from '../../core/tasks/watch-filter.js';

/** Saves closer together than this are one change (an editor writing several files). */
const DEBOUNCE_MS = 300;

/**
 * `watch = ["src/**"]` on a service: a change to a matching file restarts it
 * (docker compose's develop.watch `action: restart`), natively or in its
 * container alike, through the supervisor's own restart; the dashboard and
 * the log say which file. A restart already under way absorbs later changes
 * and is followed by one more. Returns the function that stops watching.
 */
export function watchServiceFiles(supervisor: Supervisor, services: readonly ServiceSpec[]): () => void {
  const watchers: FSWatcher[] = [];
  const timers = new Set<NodeJS.Timeout>();
  for (const spec of services) {
    if (!spec.watch?.length) continue;
    const relevant = changeFilter(spec.path, spec.watch);
    let timer: NodeJS.Timeout | undefined;
    let changed: string | undefined;
    let restarting: Promise<void> | undefined;
    const restart = () => {
      if (timer) timers.delete(timer);
      timer = undefined;
      if (restarting || !changed) return;
      const why = `${changed} changed`;
      changed = undefined;
      restarting = supervisor
        .restart(spec.name, why)
        .catch(() => undefined)
        .finally(() => {
          restarting = undefined;
          if (changed) restart();
        });
    };
    try {
      const watcher = watch(spec.path, { recursive: true }, (_event, file) => {
        if (!file || !relevant(String(file))) return;
        changed = String(file);
        if (timer) clearTimeout(timer);
        timer = setTimeout(restart, DEBOUNCE_MS);
        timers.add(timer);
      });
      watcher.on('error', () => {});
      watchers.push(watcher);
    } catch {
      // The folder does not exist: the service itself fails to start and says so.
    }
  }
  return () => {
    for (const t of timers) clearTimeout(t);
    for (const w of watchers) w.close();
  };
}
