import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ServiceSpec } from '../../../src/core/manifest/types.js';
import { ManagedService } from '../../../src/core/supervisor/managed-service.js';
import { RotatingLog } from '../../../src/core/supervisor/rotating-log.js';
import type { ExitStatus, RunningService, ServiceRunner } from '../../../src/core/supervisor/runner.js';
import type { SupervisorEvent } from '../../../src/core/supervisor/status.js';

/**
 * A stand-in runner whose starts finish when the test says: the races below
 * need a start that is still pending at an exact moment, which a real process
 * gives no handle on. Everything else is the real ManagedService.
 */
function heldRunner() {
  const pending: Array<{ succeed(): void; fail(message: string): void }> = [];
  const running = new Set<number>();
  let started = 0;
  const runner: ServiceRunner = {
    mode: 'native',
    start: () =>
      new Promise<RunningService>((resolve, reject) => {
        const pid = 5000 + ++started;
        pending.push({
          fail: (message) => reject(new Error(message)),
          succeed: () => {
            let exit!: (status: ExitStatus) => void;
            const exited = new Promise<ExitStatus>((r) => {
              exit = r;
            });
            running.add(pid);
            resolve({
              id: `pid:${pid}`,
              pid,
              exited,
              stop: async () => {
                running.delete(pid);
                exit({ code: null, signal: 'SIGTERM' });
                return { killed: false };
              },
            });
          },
        });
      }),
  };
  return { runner, pending, running, started: () => started };
}

describe('ManagedService: races a stale run must lose', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-races-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const service = (runner: ServiceRunner, events: SupervisorEvent[] = []) =>
    new ManagedService({
      spec: {
        name: 'svc',
        path: dir,
        relativePath: '.',
        run: 'true',
        healthTiming: { interval: 1000, timeout: 1000, retries: 3 },
        dependsOn: [],
        env: {},
        restart: 'on-failure',
        stopTimeout: 1000,
        mode: 'native',
      } satisfies ServiceSpec,
      runner,
      env: {},
      log: new RotatingLog(join(dir, `svc-${Math.random()}.log`)),
      emit: (event) => events.push(event),
    });

  it('a start that fails after the service was stopped leaves it stopped, not failed', async () => {
    const held = heldRunner();
    const svc = service(held.runner);
    const starting = svc.start();
    await svc.stop();
    held.pending[0]?.fail('pull access denied');
    await starting;
    assert.equal(svc.status().state, 'stopped');
    // The output is still the service's: it is logged.
    assert.ok(svc.recentLines().includes('[poly] pull access denied'));
  });

  it('an instance that comes up after the service was stopped is stopped, not kept', async () => {
    const held = heldRunner();
    const svc = service(held.runner);
    const starting = svc.start();
    await svc.stop();
    held.pending[0]?.succeed();
    await starting;
    assert.equal(svc.status().state, 'stopped');
    assert.equal(svc.status().pid, undefined);
    assert.deepEqual([...held.running], []);
  });

  it('a restart while waiting for dependencies, then the start: one instance, and stop leaves none', async () => {
    const held = heldRunner();
    const events: SupervisorEvent[] = [];
    const svc = service(held.runner, events);
    svc.waitFor(['db']);
    const restarting = svc.restart('poly restart svc');
    // The dependencies turn healthy now: the supervisor starts it.
    const starting = svc.start();
    for (const start of held.pending) start.succeed();
    await Promise.all([restarting, starting]);
    assert.equal(held.started(), 1);
    await svc.stop();
    assert.deepEqual([...held.running], []);
    assert.equal(svc.status().restarts, 1);
  });
});
