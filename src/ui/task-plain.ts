import type { PlannedTask, TaskEvent, TaskOutcome } from '../services/run/tasks-events.js';

export type TaskOutputMode = 'prefixed' | 'grouped';

/**
 * `poly run` without a terminal: every line as `api:test | line` the moment
 * it comes (like docker compose), or with `grouped` each task's output as one
 * block when it ends. Returns the event handler.
 */
export function plainTaskRenderer(
  mode: TaskOutputMode,
  write: (text: string) => void,
): (event: TaskEvent) => void {
  let width = 0;
  const blocks = new Map<string, string[]>();
  const prefix = (id: string) => `${id.padEnd(width)} | `;
  const out = (id: string, text: string) => {
    if (mode === 'prefixed') write(`${prefix(id)}${text}\n`);
    else blocks.set(id, [...(blocks.get(id) ?? []), text]);
  };
  return (event) => {
    switch (event.type) {
      case 'plan':
        width = Math.max(0, ...event.tasks.map((t) => t.id.length));
        return;
      case 'command':
        return out(event.id, `$ ${event.command}`);
      case 'line':
        return out(event.id, event.line);
      case 'end': {
        if (mode !== 'grouped') return;
        const lines = blocks.get(event.outcome.id) ?? [];
        blocks.delete(event.outcome.id);
        if (lines.length === 0) return;
        write(
          `── ${event.outcome.id} (${statusText(event.outcome)}) ──\n${lines.map((l) => `${l}\n`).join('')}`,
        );
        return;
      }
      default:
        return;
    }
  };
}

/** "passed", "failed: exited with code 1", "skipped (up to date)". */
export function statusText(outcome: TaskOutcome): string {
  switch (outcome.status) {
    case 'up-to-date':
      return 'skipped (up to date)';
    case 'skipped':
      return `skipped (${outcome.reason ?? 'a dependency did not pass'})`;
    case 'failed':
      return `failed: ${outcome.reason ?? 'failed'}`;
    case 'cancelled':
      return 'cancelled';
    default:
      return outcome.status;
  }
}

const MARK: Record<string, string> = {
  passed: '✓',
  'up-to-date': '✓',
  failed: '✗',
  skipped: '-',
  cancelled: '-',
};

/** One line per task: mark, id, duration, status. */
export function taskSummary(outcomes: readonly TaskOutcome[]): string {
  const width = Math.max(0, ...outcomes.map((o) => o.id.length));
  return outcomes
    .map((o) => {
      const took = o.status === 'passed' || o.status === 'failed' ? formatDuration(o.durationMs) : '';
      return `${MARK[o.status] ?? ' '} ${o.id.padEnd(width)}  ${took.padStart(6)}  ${statusText(o)}\n`;
    })
    .join('');
}

/** `--dry-run`: the order tasks would start in, and what is up to date. */
export function taskPlanText(tasks: readonly PlannedTask[]): string {
  const width = Math.max(0, ...tasks.map((t) => t.id.length));
  return tasks
    .map((t, i) => {
      const after = [...t.dependsOn, ...t.needsServices.map((s) => `service:${s}`)];
      const head = `${String(i + 1).padStart(2)}. ${t.id.padEnd(width)}`;
      const state = t.upToDate ? 'up to date, skipped' : after.length ? `after ${after.join(', ')}` : 'ready';
      const cmds = t.commands.length ? t.commands.map((c) => `\n      $ ${c}`).join('') : '';
      return `${head}  (${state})${cmds}\n`;
    })
    .join('');
}

/** 231ms, 2.8s, 1m08s; bin/poly-run.sh's __poly_run_duration writes the same. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  // Rounded to whole seconds before the split: 119.7 s is 2m00s, not 1m60s.
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
