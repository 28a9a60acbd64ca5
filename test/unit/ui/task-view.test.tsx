import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import type { TaskEvent } from '../../../src/services/run/tasks-events.js';
import { TaskView } from '../../../src/ui/TaskView.js';
import { plainTaskRenderer, taskSummary } from '../../../src/ui/task-plain.js';
import { reduceTasks, type TaskViewState } from '../../../src/ui/task-state.js';

const plan: TaskEvent = {
  type: 'plan',
  tasks: [
    { id: 'gen', commands: ['buf generate'], dependsOn: [], needsServices: [], upToDate: true },
    { id: 'api:test', commands: ['cargo test'], dependsOn: ['gen'], needsServices: [], upToDate: false },
    { id: 'web:test', commands: ['npm test'], dependsOn: [], needsServices: [], upToDate: false },
  ],
};
const events: TaskEvent[] = [
  plan,
  { type: 'start', id: 'gen' },
  { type: 'end', outcome: { id: 'gen', status: 'up-to-date', durationMs: 1 } },
  { type: 'start', id: 'api:test' },
  { type: 'start', id: 'web:test' },
  { type: 'command', id: 'api:test', command: 'cargo test' },
  { type: 'line', id: 'api:test', line: 'running 3 tests', stream: 'stdout' },
  { type: 'line', id: 'web:test', line: 'not ok 1 - hello', stream: 'stdout' },
  {
    type: 'end',
    outcome: { id: 'web:test', status: 'failed', durationMs: 1500, reason: 'exited with code 1' },
  },
];

const fold = (list: TaskEvent[]) =>
  list.reduce<TaskViewState>((s, e) => reduceTasks(s, e, 1000), { rows: [], output: {} });

describe('poly run views', () => {
  it('the Ink view: one line per task, a running one with its latest line', () => {
    const state = fold(events);
    const { lastFrame } = render(<TaskView rows={state.rows} now={3000} width={100} />);
    const lines = (lastFrame() ?? '').split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0] ?? '', /^✓ gen +skipped \(up to date\)$/);
    assert.match(lines[1] ?? '', /^▶ api:test +2\.0s running 3 tests$/);
    assert.match(lines[2] ?? '', /^✗ web:test +1\.5s failed: exited with code 1$/);
    assert.deepEqual(state.output['web:test'], ['not ok 1 - hello'], 'kept for the failure report');
  });

  it('without a terminal: prefixed lines, aligned, and a summary', () => {
    let text = '';
    const render = plainTaskRenderer('prefixed', (t) => {
      text += t;
    });
    for (const e of events) render(e);
    assert.equal(text, 'api:test | $ cargo test\napi:test | running 3 tests\nweb:test | not ok 1 - hello\n');
    assert.equal(
      taskSummary([
        { id: 'gen', status: 'up-to-date', durationMs: 1 },
        { id: 'web:test', status: 'failed', durationMs: 1500, reason: 'exited with code 1' },
      ]),
      '✓ gen               skipped (up to date)\n✗ web:test    1.5s  failed: exited with code 1\n',
    );
  });
});
