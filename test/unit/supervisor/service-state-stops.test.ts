import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RestartPolicy } from '../../../src/core/manifest/types.js';
import type { ExitStatus } from '../../../src/core/supervisor/runner.js';
import { initialState, liveRun, type Run, transition } from '../../../src/core/supervisor/service-state.js';
import { shownState } from '../../../src/core/supervisor/service-status.js';
import { code, drive, exit, instance, launched, phaseOf } from './service-state-helpers.js';

describe('service state: exits and backoff', () => {
  it('ends for good per its policy: exited on code 0, failed otherwise', () => {
    const run = new AbortController();
    const once = (status: ExitStatus, policy: RestartPolicy) =>
      transition(launched(run), exit(run, status, 2000, policy));
    assert.deepEqual(once(code(0), 'no').phase, { kind: 'exited', message: 'exited with code 0' });
    assert.deepEqual(once(code(4), 'no').phase, { kind: 'failed', message: 'exited with code 4' });
    assert.deepEqual(once(code(0), 'on-failure').phase, { kind: 'exited', message: 'exited with code 0' });
    const killed = once({ code: null, signal: 'SIGKILL' }, 'no');
    assert.deepEqual(killed.phase, { kind: 'failed', message: 'killed by SIGKILL' });
    assert.equal(killed.history.lastExit, 'killed by SIGKILL');
  });

  it('backs off 250 ms doubling, shows a crash loop from the third quick failure, and restarts as the same run', () => {
    let state = launched();
    const delays: number[] = [];
    const shown: string[] = [];
    for (let i = 0; i < 4; i++) {
      const run = liveRun(state.phase) as Run;
      const ended = transition(state, exit(run, code(3), 1500 + i));
      const backoff = phaseOf(ended, 'backoff');
      delays.push(backoff.delay);
      shown.push(shownState(backoff));
      state = transition(ended, { type: 'retry', run: backoff.run, at: 2000 + i });
      assert.deepEqual(state.phase, { kind: 'launching', run: backoff.run, since: 2000 + i });
      state = transition(state, { type: 'launched', run: backoff.run, instance: instance(10 + i) });
    }
    assert.deepEqual(delays, [250, 500, 1000, 2000]);
    assert.deepEqual(shown, ['backoff', 'backoff', 'crash-loop', 'crash-loop']);
    assert.equal(state.history.restarts, 4);
  });

  it('says when it restarts, and starts over after a stable run', () => {
    const run = new AbortController();
    const first = transition(launched(run), exit(run, code(1), 1100, 'always'));
    assert.equal(phaseOf(first, 'backoff').message, 'exited with code 1; restarting in 250 ms');
    let state = first;
    for (let i = 0; i < 3; i++) {
      const retry = phaseOf(state, 'backoff').run;
      state = drive(
        state,
        { type: 'retry', run: retry, at: 0 },
        { type: 'launched', run: retry, instance: instance(20 + i) },
        exit(retry, code(1), 10, 'always'),
      );
    }
    assert.equal(
      phaseOf(state, 'backoff').message,
      'crash loop: exited with code 1, 4 times in a row; next try in 2.0 s',
    );
    const retry = phaseOf(state, 'backoff').run;
    const stable = drive(
      state,
      { type: 'retry', run: retry, at: 0 },
      { type: 'launched', run: retry, instance: instance(30) },
      exit(retry, code(1), 10_000, 'always'),
    );
    assert.equal(phaseOf(stable, 'backoff').attempt, 1);
  });

  it('notes who holds the port while that backoff lasts, not after', () => {
    const run = new AbortController();
    const ended = transition(launched(run), exit(run, code(1), 1100));
    const retry = phaseOf(ended, 'backoff').run;
    const noted = transition(ended, { type: 'busy-port', run: retry, note: 'port 4100 is held by pid 9' });
    assert.match(phaseOf(noted, 'backoff').message, /restarting in 250 ms; port 4100 is held by pid 9$/);
    const next = transition(ended, { type: 'retry', run: retry, at: 2000 });
    assert.equal(transition(next, { type: 'busy-port', run: retry, note: 'late' }), next);
  });

  it('a restart during backoff launches at once, and the backoff timer that fires later does nothing', () => {
    const run = new AbortController();
    const ended = transition(launched(run), exit(run, code(1), 1100));
    const retry = phaseOf(ended, 'backoff').run;
    const next = new AbortController();
    const restarted = transition(ended, { type: 'restart', next, at: 1200 });
    assert.deepEqual(restarted.phase, { kind: 'launching', run: next, since: 1200 });
    assert.equal(restarted.history.quickFailures, 0);
    assert.equal(restarted.history.restarts, 1);
    assert.equal(transition(restarted, { type: 'retry', run: retry, at: 1350 }), restarted);
  });

  it('an exit of a run that is no longer current changes nothing', () => {
    const old = new AbortController();
    const next = new AbortController();
    const proc = instance(1);
    const again = drive(launched(old, proc), { type: 'restart', next, at: 2 });
    const relaunched = drive(
      again,
      { type: 'stop-done', instance: proc, next, at: 3 },
      { type: 'launched', run: next, instance: instance(2) },
    );
    assert.equal(relaunched.phase.kind, 'checking');
    assert.equal(transition(relaunched, exit(old, code(1), 5)), relaunched);
  });
});

describe('service state: stop and restart', () => {
  it('stops its instance first, and a crash during the stop schedules nothing', () => {
    const run = new AbortController();
    const proc = instance(1);
    const stopping = transition(launched(run, proc), { type: 'stop' });
    assert.deepEqual(stopping.phase, { kind: 'stopping', instance: proc, since: 1000, after: 'stop' });
    assert.equal(liveRun(stopping.phase), undefined);
    assert.equal(transition(stopping, exit(run, code(137), 1500, 'always')), stopping);
    const stopped = transition(stopping, {
      type: 'stop-done',
      instance: proc,
      next: new AbortController(),
      at: 2,
    });
    assert.deepEqual(stopped.phase, { kind: 'stopped' });
  });

  it('stops at once what has no instance: waiting, backoff, ended', () => {
    const run = new AbortController();
    const inBackoff = transition(launched(run), exit(run, code(1), 1100));
    const ended = transition(launched(run), exit(run, code(1), 1100, 'no'));
    for (const state of [initialState(), inBackoff, ended])
      assert.deepEqual(transition(state, { type: 'stop' }).phase, { kind: 'stopped' });
  });

  it('a restart stops the instance, then launches a new run counted as a restart', () => {
    const run = new AbortController();
    const proc = instance(1);
    const healthy = transition(launched(run, proc), { type: 'healthy', run, at: 1200 });
    const next = new AbortController();
    const stopping = transition(healthy, { type: 'restart', reason: 'src/main.rs changed', next, at: 2 });
    assert.deepEqual(stopping.phase, {
      kind: 'stopping',
      instance: proc,
      since: 1000,
      after: 'restart',
      message: 'restarting: src/main.rs changed',
    });
    assert.equal(transition(stopping, exit(run, code(0), 3)), stopping);
    const other = instance(99);
    assert.equal(transition(stopping, { type: 'stop-done', instance: other, next, at: 4 }), stopping);
    const relaunched = transition(stopping, { type: 'stop-done', instance: proc, next, at: 5 });
    assert.deepEqual(relaunched.phase, { kind: 'launching', run: next, since: 5 });
    assert.equal(relaunched.history.restarts, 1);
    assert.equal(relaunched.history.healthyAt, undefined);
  });

  it('restart without a reason; restart of a stopped, failed or exited service launches it', () => {
    const run = new AbortController();
    const bare = transition(launched(run), { type: 'restart', next: new AbortController(), at: 2 });
    assert.equal(phaseOf(bare, 'stopping').message, 'restarting');
    const failed = transition(launched(run), exit(run, code(1), 2, 'no'));
    const proc = instance(1);
    const stopped = transition(launched(run, proc), { type: 'stop' });
    const done = transition(stopped, { type: 'stop-done', instance: proc, next: run, at: 3 });
    assert.equal(done.phase.kind, 'stopped');
    for (const state of [failed, done]) {
      const next = new AbortController();
      assert.deepEqual(transition(state, { type: 'restart', next, at: 9 }).phase, {
        kind: 'launching',
        run: next,
        since: 9,
      });
    }
  });

  it('stop during a restart wins the stop; a restart during a stop makes it a restart', () => {
    const run = new AbortController();
    const proc = instance(1);
    const next = new AbortController();
    const restarting = transition(launched(run, proc), { type: 'restart', next, at: 2 });
    const stopping = transition(restarting, { type: 'stop' });
    assert.equal(phaseOf(stopping, 'stopping').after, 'stop');
    assert.equal(phaseOf(stopping, 'stopping').message, undefined);
    assert.deepEqual(transition(stopping, { type: 'stop-done', instance: proc, next, at: 3 }).phase, {
      kind: 'stopped',
    });
    const stoppingFirst = transition(launched(run, proc), { type: 'stop' });
    const thenRestart = transition(stoppingFirst, { type: 'restart', reason: 'now', next, at: 4 });
    assert.equal(phaseOf(thenRestart, 'stopping').after, 'restart');
    const stopDone = { type: 'stop-done', instance: proc, next, at: 5 } as const;
    assert.equal(transition(thenRestart, stopDone).phase.kind, 'launching');
    // The second caller waiting for the same instance sees it was already handled.
    const after = transition(thenRestart, stopDone);
    assert.equal(transition(after, { ...stopDone, next: new AbortController() }), after);
  });
});

describe('service state: runs', () => {
  it('a phase holds a live run while it launches, runs or waits to restart', () => {
    const run = new AbortController();
    const up = launched(run);
    assert.equal(liveRun(up.phase), run);
    assert.equal(liveRun(transition(up, { type: 'healthy', run, at: 1 }).phase), run);
    const backoff = transition(up, exit(run, code(1), 1100));
    assert.notEqual(liveRun(backoff.phase), run);
    assert.ok(liveRun(backoff.phase));
    for (const phase of [initialState().phase, transition(up, { type: 'stop' }).phase])
      assert.equal(liveRun(phase), undefined);
  });
});
