import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { RuntimePicker } from '../../../src/ui/RuntimePicker.js';

const items = [
  { value: 'node', label: 'node 22', hint: 'from .nvmrc' },
  { value: 'python', label: 'python 3.12', hint: 'from .python-version' },
  { value: 'go', label: 'go 1.23.2', hint: 'from go.mod' },
];

/** Ink reads stdin and re-renders asynchronously: wait for the effect, not for a fixed time. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('RuntimePicker', () => {
  it('shows a heading above the first item of each section (poly init: runtimes, then services)', () => {
    const ui = render(
      <RuntimePicker
        title="What should go into poly.toml?"
        items={[
          { value: 'runtime:node', label: 'node 22', hint: 'from web/.nvmrc', section: 'Runtimes' },
          { value: 'runtime:go', label: 'go 1.23', hint: 'from api/go.mod', section: 'Runtimes' },
          {
            value: 'service:web',
            label: 'web  node · npm run dev',
            hint: 'from web/package.json',
            section: 'Services',
          },
        ]}
        onSubmit={() => {}}
        onCancel={() => {}}
        color={false}
      />,
    );
    assert.equal(
      ui.lastFrame(),
      [
        'What should go into poly.toml?',
        'Runtimes',
        '> [x] node 22                  from web/.nvmrc',
        '  [x] go 1.23                  from api/go.mod',
        'Services',
        '  [x] web  node · npm run dev  from web/package.json',
        'space: toggle · a: all · enter: confirm · esc: cancel',
      ].join('\n'),
    );
    ui.unmount();
  });

  it('starts with every runtime checked and the cursor on the first', () => {
    const ui = render(
      <RuntimePicker
        title="Pin which runtimes?"
        items={items}
        onSubmit={() => {}}
        onCancel={() => {}}
        color={false}
      />,
    );
    assert.equal(
      ui.lastFrame(),
      [
        'Pin which runtimes?',
        '> [x] node 22      from .nvmrc',
        '  [x] python 3.12  from .python-version',
        '  [x] go 1.23.2    from go.mod',
        'space: toggle · a: all · enter: confirm · esc: cancel',
      ].join('\n'),
    );
    ui.unmount();
  });

  it('moves, toggles and submits the checked values', async () => {
    let submitted: string[] | undefined;
    const ui = render(
      <RuntimePicker
        title="t"
        items={items}
        onSubmit={(v) => (submitted = v)}
        onCancel={() => {}}
        color={false}
      />,
    );
    await waitFor(() => ui.stdin.listenerCount('readable') > 0, 'Ink to listen on stdin');
    ui.stdin.write('\u001B[B'); // down
    await waitFor(() => /> \[x\] python/.test(ui.lastFrame() ?? ''), 'the cursor on python');
    ui.stdin.write(' ');
    await waitFor(() => /> \[ \] python 3\.12/.test(ui.lastFrame() ?? ''), 'python unchecked');
    ui.stdin.write('\r');
    await waitFor(() => submitted !== undefined, 'submit');
    assert.deepEqual(submitted, ['node', 'go']);
    ui.unmount();
  });

  it('a toggles all off and on; esc cancels', async () => {
    let cancelled = false;
    let submitted: string[] | undefined;
    const ui = render(
      <RuntimePicker
        title="t"
        items={items}
        onSubmit={(v) => (submitted = v)}
        onCancel={() => (cancelled = true)}
        color={false}
      />,
    );
    await waitFor(() => ui.stdin.listenerCount('readable') > 0, 'Ink to listen on stdin');
    ui.stdin.write('a');
    await waitFor(() => !(ui.lastFrame() ?? '').includes('[x]'), 'all unchecked');
    ui.stdin.write('\u001B');
    await waitFor(() => cancelled, 'cancel');
    assert.equal(cancelled, true);
    assert.equal(submitted, undefined);
    ui.unmount();
  });
});
