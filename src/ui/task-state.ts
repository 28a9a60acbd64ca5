import type { TaskEvent, TaskStatus } from '../services/run/tasks-events.js';

export interface TaskRow {
  id: string;
  status: TaskStatus;
  /** The latest line it printed (or the command it runs), for the live view. */
  lastLine: string;
  startedAt?: number;
  durationMs?: number;
  reason?: string;
}

/** What the live view draws, and the output kept to print failures in full at the end. */
export interface TaskViewState {
  rows: TaskRow[];
  output: Record<string, string[]>;
}

/** Lines kept per task for the failure report; a task printing more keeps its last ones. */
const KEPT_LINES = 2000;

export function reduceTasks(state: TaskViewState, event: TaskEvent, now: number): TaskViewState {
  const update = (id: string, change: Partial<TaskRow>) => ({
    ...state,
    rows: state.rows.map((r) => (r.id === id ? { ...r, ...change } : r)),
  });
  switch (event.type) {
    case 'plan':
      return { rows: event.tasks.map((t) => ({ id: t.id, status: 'pending', lastLine: '' })), output: {} };
    case 'start':
      return update(event.id, { status: 'running', startedAt: now });
    case 'command':
    case 'line': {
      const text = event.type === 'command' ? `$ ${event.command}` : event.line;
      const kept = [...(state.output[event.id] ?? []), text].slice(-KEPT_LINES);
      return { ...update(event.id, { lastLine: text }), output: { ...state.output, [event.id]: kept } };
    }
    case 'end':
      return update(event.outcome.id, {
        status: event.outcome.status,
        durationMs: event.outcome.durationMs,
        ...(event.outcome.reason ? { reason: event.outcome.reason } : {}),
      });
  }
}
