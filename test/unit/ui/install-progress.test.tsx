import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import type { InstallEvent } from '../../../src/core/runtimes/events.js';
import { InstallProgress } from '../../../src/ui/InstallProgress.js';
import { formatInstallEvent } from '../../../src/ui/install-plain.js';
import { type InstallState, reduceInstall } from '../../../src/ui/install-state.js';

const events: InstallEvent[] = [
  { type: 'resolve', runtime: 'node', spec: '22' },
  { type: 'resolve', runtime: 'go', spec: '1.22' },
  { type: 'resolved', runtime: 'node', spec: '22', version: '22.11.0', installed: false },
  { type: 'resolved', runtime: 'go', spec: '1.22', version: '1.22.7', installed: true },
  {
    type: 'download',
    runtime: 'node',
    version: '22.11.0',
    bytes: 5 * 1024 * 1024,
    total: 10 * 1024 * 1024,
    speed: 2 * 1024 * 1024,
  },
];

function fold(list: InstallEvent[]): InstallState {
  return list.reduce(reduceInstall, [] as InstallState);
}

describe('InstallProgress (Ink)', () => {
  it('draws one bar per runtime with bytes and speed', () => {
    const { lastFrame } = render(<InstallProgress rows={fold(events)} />);
    const lines = (lastFrame() ?? '').split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /^node 22\.11\.0 {2}\[#{10}-{10}\] 5\.0 MB\/10\.0 MB {2}2\.0 MB\/s$/);
    assert.match(lines[1] ?? '', /^go 1\.22\.7 {2}✓ already installed$/);
  });

  it('moves through verify, unpack and done, frame by frame', () => {
    const { lastFrame, rerender } = render(<InstallProgress rows={fold(events)} />);
    const more: InstallEvent[] = [
      { type: 'verify', runtime: 'node', version: '22.11.0', checksum: 'sha256:ab' },
      { type: 'unpack', runtime: 'node', version: '22.11.0' },
      { type: 'done', runtime: 'node', version: '22.11.0', dir: '/x', installed: true },
    ];
    const frames: string[] = [];
    let list = events;
    for (const e of more) {
      list = [...list, e];
      rerender(<InstallProgress rows={fold(list)} />);
      frames.push((lastFrame() ?? '').split('\n')[0] ?? '');
    }
    assert.deepEqual(frames, [
      `node 22.11.0  [${'#'.repeat(20)}] verified`,
      `node 22.11.0  [${'#'.repeat(20)}] installing…`,
      'node 22.11.0  ✓ installed',
    ]);
  });

  it('shows a failure on its runtime line', () => {
    const { lastFrame } = render(
      <InstallProgress
        rows={fold([
          ...events,
          { type: 'error', runtime: 'node', message: 'checksum mismatch for x\n  expected …' },
        ])}
      />,
    );
    assert.match(lastFrame() ?? '', /node 22\.11\.0 {2}✗ checksum mismatch for x$/m);
  });
});

describe('plain install lines (non-TTY twin)', () => {
  it('prints one line per step, one line per download', () => {
    const seen = new Set<string>();
    const lines = [
      ...events,
      {
        type: 'download',
        runtime: 'node',
        version: '22.11.0',
        bytes: 9,
        total: 10 * 1024 * 1024,
        speed: 1,
      } as InstallEvent,
      {
        type: 'verify',
        runtime: 'node',
        version: '22.11.0',
        checksum: `sha256:${'a'.repeat(64)}`,
      } as InstallEvent,
      {
        type: 'done',
        runtime: 'node',
        version: '22.11.0',
        dir: '/s/node/22.11.0',
        installed: true,
      } as InstallEvent,
    ]
      .map((e) => formatInstallEvent(e, seen))
      .filter(Boolean);
    assert.deepEqual(lines, [
      'node: 22 -> 22.11.0',
      'go 1.22.7: already installed',
      'node 22.11.0: downloading 10.0 MB',
      `node 22.11.0: verified sha256:${'a'.repeat(16)}…`,
      'node 22.11.0: installed in /s/node/22.11.0',
    ]);
  });
});
