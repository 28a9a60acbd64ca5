import { type FSWatcher, watch } from 'node:fs';
import { requireManifest } from '../../core/manifest/load.js';
import { requestedTasks, taskClosure } from '../../core/tasks/plan.js';
import { changeFilter } from '../../core/tasks/watch-filter.js';
import type { RunArgs } from './run-args.js';

/** Changes closer together than this are one change (an editor saving several files, a formatter). */
const DEBOUNCE_MS = 300;

/**
 * `poly run --watch`: runs the task, then again whenever a file it watches
 * changes (its tasks' `sources`, or without sources their folder minus what
 * .gitignore ignores), debounced. A change during a run stops that run and
 * starts a fresh one, like watchexec. Ctrl-C stops the run and the watching.
 */
export async function watchTasks(
  args: RunArgs,
  runOnce: (signal: AbortSignal) => Promise<number>,
): Promise<number> {
  const manifest = requireManifest(args.cwd);
  const tasks = taskClosure(manifest.tasks ?? {}, requestedTasks(manifest, args.task, args.services));
  let changed: () => void = () => {};
  let timer: NodeJS.Timeout | undefined;
  const onChange = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => changed(), DEBOUNCE_MS);
  };
  const watchers: FSWatcher[] = [];
  for (const task of tasks) {
    const relevant = changeFilter(task.dir, task.sources, task.outputs);
    const watcher = watch(task.dir, { recursive: true }, (_event, file) => {
      if (file && relevant(String(file))) onChange();
    });
    watcher.on('error', () => {});
    watchers.push(watcher);
  }
  let quit = false;
  let current: AbortController | undefined;
  const stop = () => {
    quit = true;
    current?.abort();
    changed();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    while (!quit) {
      current = new AbortController();
      const run = current;
      const next = new Promise<void>((resolve) => {
        changed = () => {
          run.abort();
          resolve();
        };
      });
      await runOnce(run.signal);
      if (!quit && !run.signal.aborted) process.stdout.write('poly: watching for changes (Ctrl-C stops)\n');
      await next;
      if (!quit) process.stdout.write('poly: change detected, running again\n');
    }
  } finally {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return 130;
}
