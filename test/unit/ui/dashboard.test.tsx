import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import type { ServiceStatus, SupervisorEvent } from '../../../src/core/supervisor/status.js';
import { Dashboard, type DashboardSource } from '../../../src/ui/Dashboard.js';
import { LogPane } from '../../../src/ui/LogPane.js';
import { ServiceTable } from '../../../src/ui/ServiceTable.js';
import { formatServiceTable, ServiceLinePrinter } from '../../../src/ui/service-lines.js';

const now = 1_700_000_000_000;
function status(name: string, patch: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    name,
    state: 'healthy',
    mode: 'native',
    runtime: 'node@20',
    port: 3000,
    url: 'http://127.0.0.1:3000',
    pid: 42,
    check: 'GET /health',
    restarts: 0,
    startedAt: now - 75_000,
    dependsOn: [],
    lastLines: [],
    ...patch,
  };
}

/**
 * A stand-in for the Supervisor: these tests are about what the components
 * draw and which keys they act on; the real supervisor is exercised in
 * test/integration/supervisor and, with this dashboard, in the pty test.
 */
function fakeSource(services: ServiceStatus[], lines: Record<string, string[]>) {
  const listeners = new Set<(e: SupervisorEvent) => void>();
  const restarted: string[] = [];
  const source: DashboardSource = {
    status: () => services,
    recentLines: (name) => lines[name] ?? [],
    on: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    restart: async (name) => {
      restarted.push(name);
    },
  };
  const emit = (e: SupervisorEvent) => {
    for (const l of listeners) l(e);
  };
  return { source, restarted, emit };
}

type Rendered = ReturnType<typeof render>;

/**
 * Resolves with the first frame, the current one included, for which `ok`
 * holds: the test waits for the render it expects instead of sleeping a
 * fixed time and hoping Ink has drawn by then (it had not, under load).
 */
function frameWhere(ui: Rendered, ok: (frame: string) => boolean): Promise<string> {
  const current = ui.lastFrame() ?? '';
  if (ok(current)) return Promise.resolve(current);
  const stdout = ui.stdout as unknown as { write: (frame: string) => void };
  const write = stdout.write;
  return new Promise((resolve) => {
    stdout.write = (frame: string) => {
      write(frame);
      if (!ok(frame)) return;
      stdout.write = write;
      resolve(frame);
    };
  });
}

describe('ServiceTable', () => {
  it('shows one row per service with state, runtime, URL, health, restarts and uptime', () => {
    const { lastFrame } = render(
      <ServiceTable
        services={[
          status('api'),
          status('db', {
            state: 'crash-loop',
            restarts: 4,
            message: 'crash loop: exited with code 1',
            lastLines: ['first', 'old', 'Error: no config', '[poly] exited with code 1'],
          }),
        ]}
        selected={1}
        now={now}
      />,
    );
    const frame = lastFrame() ?? '';
    assert.match(frame, /SERVICE\s+STATE\s+RUNTIME\s+URL\s+HEALTH\s+RESTARTS\s+UPTIME/);
    assert.match(
      frame,
      /^ {2}api\s+healthy\s+node@20\s+http:\/\/127\.0\.0\.1:3000\s+GET \/health\s+0\s+1m15s/m,
    );
    assert.match(frame, /^› db\s+crash-loop\s+node@20.*4/m);
    // A crash loop shows its last three lines under the row.
    assert.match(
      frame,
      /crash loop: exited with code 1\n\s+old\n\s+Error: no config\n\s+\[poly\] exited with code 1/,
    );
    assert.doesNotMatch(frame, /first/);
  });
});

describe('ServiceTable while an image is prepared', () => {
  it('shows the pull or build line under a starting row', () => {
    const { lastFrame } = render(
      <ServiceTable
        services={[
          status('db', {
            state: 'starting',
            mode: 'container',
            pid: undefined,
            startedAt: undefined,
            message: 'pulling postgres:16: 3/7 layers, 45.2/120.0 MB',
          }),
        ]}
        selected={0}
        now={now}
      />,
    );
    assert.match(
      lastFrame() ?? '',
      /db\s+starting[^\n]*\n\s{4}pulling postgres:16: 3\/7 layers, 45\.2\/120\.0 MB/,
    );
  });
});

describe('ServiceTable with an image HEALTHCHECK', () => {
  it('shows its status in a dim line under the row, beside the own check or as the check', () => {
    const { lastFrame } = render(
      <ServiceTable
        services={[
          status('db', { mode: 'container', pid: undefined, imageHealth: 'healthy' }),
          status('web', {
            state: 'starting',
            mode: 'container',
            pid: undefined,
            check: 'image HEALTHCHECK',
            imageHealth: 'starting',
          }),
          status('api'),
        ]}
        selected={0}
        now={now}
      />,
    );
    const frame = lastFrame() ?? '';
    assert.match(frame, /db\s+healthy[^\n]*GET \/health[^\n]*\n {4}image HEALTHCHECK: healthy\n/);
    assert.match(frame, /web\s+starting[^\n]*image HEALTH[^\n]*\n {4}image HEALTHCHECK: starting\n/);
    // No HEALTHCHECK, no line.
    assert.match(frame, /api\s+healthy[^\n]*$/);
    assert.equal(frame.match(/image HEALTHCHECK: /g)?.length, 2);
  });
});

describe('LogPane', () => {
  it('shows the last lines of the selected service', () => {
    const { lastFrame } = render(<LogPane service="api" lines={['one', 'two', 'three']} height={2} />);
    const frame = lastFrame() ?? '';
    assert.match(frame, /logs: api/);
    assert.doesNotMatch(frame, /one/);
    assert.match(frame, /two[\s\S]*three/);
  });
});

describe('Dashboard', () => {
  it('selects with the arrows, restarts with r, toggles logs with l and quits with q', async () => {
    const { source, restarted, emit } = fakeSource([status('api'), status('db', { port: 5432 })], {
      api: ['api line'],
      db: ['db line'],
    });
    let quits = 0;
    let onSecondQuit: () => void = () => {};
    const quitTwice = new Promise<void>((resolve) => {
      onSecondQuit = resolve;
    });
    const onQuit = () => {
      if (++quits === 2) onSecondQuit();
    };
    const ui = render(<Dashboard source={source} title="shop" onQuit={onQuit} refreshMs={5} />);
    after(() => ui.unmount());
    await frameWhere(ui, (f) => /logs: api[\s\S]*api line/.test(f));
    // ↓ and r faster than a render: r must act on the service ↓ moved to.
    ui.stdin.write('\u001B[B');
    ui.stdin.write('r');
    const selected = await frameWhere(ui, (f) => /restarted db/.test(f));
    assert.match(selected, /logs: db[\s\S]*db line/);
    assert.deepEqual(restarted, ['db']);
    ui.stdin.write('l');
    await frameWhere(ui, (f) => !/logs: db/.test(f));
    emit({ type: 'line', service: 'db', line: 'x', stream: 'stdout', at: now });
    ui.stdin.write('q');
    ui.stdin.write('\u0003'); // Ctrl-C
    await quitTwice;
    assert.equal(quits, 2);
    assert.deepEqual(restarted, ['db']);
  });
});

describe('plain-text twin', () => {
  it('prefixes lines like docker compose, coloured only when asked', () => {
    const out: string[] = [];
    const plain = new ServiceLinePrinter(['api', 'gateway'], (t) => out.push(t), false);
    plain.line('api', 'listening on 3000');
    const colour = new ServiceLinePrinter(['api'], (t) => out.push(t), true);
    colour.line('api', 'x');
    assert.deepEqual(out, ['api     | listening on 3000\n', '\x1b[36mapi |\x1b[0m x\n']);
  });
  it('prints the first pull or build line of a start once, not every progress update', () => {
    const out: string[] = [];
    const plain = new ServiceLinePrinter(['db'], (t) => out.push(t), false);
    const preparing = { mode: 'container' as const, pid: undefined, startedAt: undefined };
    for (const message of [undefined, 'pulling postgres:16', 'pulling postgres:16: 0/2 layers', undefined])
      plain.event({
        type: 'status',
        status: status('db', { state: 'starting', ...preparing, ...(message ? { message } : {}) }),
      });
    plain.event({
      type: 'status',
      status: status('db', { state: 'starting', ...preparing, containerId: 'abc' }),
    });
    // A restart prepares again: its first line is printed again.
    plain.event({
      type: 'status',
      status: status('db', { state: 'starting', ...preparing, message: 'pulling postgres:16' }),
    });
    assert.deepEqual(out, [
      'db | [poly] pulling postgres:16\n',
      'db | [poly] started (container abc, http://127.0.0.1:3000)\n',
      'db | [poly] pulling postgres:16\n',
    ]);
  });
  it('shows the image HEALTHCHECK in the HEALTH column of poly ps', () => {
    const table = formatServiceTable(
      [
        status('db', { imageHealth: 'healthy' }),
        status('web', { check: 'image HEALTHCHECK', imageHealth: 'unhealthy', state: 'unhealthy' }),
        status('api'),
      ],
      now,
    );
    assert.match(table, /^db\s.*\s42\s+GET \/health \(image: healthy\)\s+0\s+1m15s$/m);
    assert.match(table, /^web\s.*\s42\s+image HEALTHCHECK: unhealthy\s+0\s+1m15s$/m);
    assert.match(table, /^api\s.*\s42\s+GET \/health\s+0\s+1m15s$/m);
  });
  it('formats poly ps as a table', () => {
    const table = formatServiceTable([status('api')], now);
    assert.match(table, /^SERVICE\s+STATE/);
    assert.match(
      table,
      /api\s+healthy\s+node@20\s+http:\/\/127\.0\.0\.1:3000\s+42\s+GET \/health\s+0\s+1m15s/,
    );
  });
});
