import { render } from 'ink';
import type { TaskEvent } from '../services/run/tasks-events.js';
import { TaskView } from './TaskView.js';
import { reduceTasks, type TaskViewState } from './task-state.js';

export interface LiveTaskView {
  onEvent(event: TaskEvent): void;
  /** Draws the last frame, leaves the terminal, then prints each failed task's full output. */
  close(): Promise<void>;
}

/** Frames at most every 100 ms: tasks printing thousands of lines must not cost a redraw each. */
const FRAME_MS = 100;

/** The Ink view of `poly run` in a terminal. Loaded lazily: ink and react load only here. */
export async function taskView(stdout: NodeJS.WriteStream = process.stdout): Promise<LiveTaskView> {
  let state: TaskViewState = { rows: [], output: {} };
  const frame = () => <TaskView rows={state.rows} now={Date.now()} width={stdout.columns ?? 100} />;
  const app = render(frame(), { stdout, exitOnCtrlC: false, patchConsole: false });
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    timer = undefined;
    app.rerender(frame());
  };
  const ticker = setInterval(() => {
    if (!timer) draw();
  }, 1000);
  return {
    onEvent(event) {
      state = reduceTasks(state, event, Date.now());
      timer ??= setTimeout(draw, FRAME_MS);
    },
    async close() {
      clearInterval(ticker);
      if (timer) clearTimeout(timer);
      app.rerender(frame());
      app.unmount();
      await app.waitUntilExit();
      for (const row of state.rows) {
        if (row.status !== 'failed') continue;
        const lines = state.output[row.id] ?? [];
        stdout.write(`\n── ${row.id} failed: ${row.reason ?? ''} ──\n${lines.map((l) => `${l}\n`).join('')}`);
      }
    },
  };
}
