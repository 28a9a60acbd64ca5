import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialState, liveRun, transition } from '../../../src/core/supervisor/service-state.js';
import { shownState } from '../../../src/core/supervisor/service-status.js';
import { drive, instance, launched, phaseOf } from './service-state-helpers.js';

describe('service state: starting', () => {
  it('waits with the names of its dependencies, then launches when the supervisor starts it', () => {
    const waiting = transition(initialState(), { type: 'wait', deps: ['db', 'cache'] });
    assert.deepEqual(waiting.phase, { kind: 'waiting', message: 'waiting for db, cache' });
    assert.deepEqual(transition(waiting, { type: 'wait', deps: [] }).phase, { kind: 'waiting' });
    const run = new AbortController();
    const launching = transition(waiting, { type: 'start', run, at: 5 });
    assert.deepEqual(launching.phase, { kind: 'launching', run, since: 5 });
    assert.equal(launching.history.restarts, 0);
    assert.equal(shownState(launching.phase), 'starting');
    assert.equal(transition(launching, { type: 'wait', deps: ['db'] }), launching);
  });

  it('starts once: a second start (after a restart while waiting) launches nothing more', () => {
    const restarted = transition(initialState(), { type: 'restart', next: new AbortController(), at: 1 });
    assert.equal(restarted.phase.kind, 'launching');
    assert.equal(transition(restarted, { type: 'start', run: new AbortController(), at: 2 }), restarted);
    const stopped = transition(initialState(), { type: 'stop' });
    assert.equal(transition(stopped, { type: 'start', run: new AbortController(), at: 2 }), stopped);
  });

  it('shows the progress of its own launch only, and drops it once the instance exists', () => {
    const run = new AbortController();
    const launching = drive(initialState(), { type: 'start', run, at: 1 });
    const pulling = transition(launching, { type: 'progress', run, message: 'pulling 3/7 layers' });
    assert.equal(phaseOf(pulling, 'launching').message, 'pulling 3/7 layers');
    const stale = new AbortController();
    assert.equal(transition(pulling, { type: 'progress', run: stale, message: 'old' }), pulling);
    const up = transition(pulling, { type: 'launched', run, instance: instance(7) });
    assert.deepEqual(up.phase, { kind: 'checking', run, since: 1, instance: instance(7) });
    assert.equal(transition(up, { type: 'progress', run, message: 'late' }), up);
  });

  it('fails when the runner cannot start it', () => {
    const run = new AbortController();
    const launching = drive(initialState(), { type: 'start', run, at: 1 });
    const failed = transition(launching, { type: 'launch-failed', run, message: 'no such command' });
    assert.deepEqual(failed.phase, { kind: 'failed', message: 'no such command' });
    assert.equal(liveRun(failed.phase), undefined);
  });

  it("stop while starting: the late instance and a late failure are no one's", () => {
    const run = new AbortController();
    const stopped = drive(initialState(), { type: 'start', run, at: 1 }, { type: 'stop' });
    assert.deepEqual(stopped.phase, { kind: 'stopped' });
    assert.equal(transition(stopped, { type: 'launched', run, instance: instance(2) }), stopped);
    assert.equal(transition(stopped, { type: 'launch-failed', run, message: 'pull failed' }), stopped);
  });

  it('restart while starting: the first launch is stale, the new one counts as a restart', () => {
    const first = new AbortController();
    const next = new AbortController();
    const again = drive(
      initialState(),
      { type: 'start', run: first, at: 1 },
      { type: 'restart', next, at: 2 },
    );
    assert.deepEqual(again.phase, { kind: 'launching', run: next, since: 2 });
    assert.equal(again.history.restarts, 1);
    assert.equal(transition(again, { type: 'launched', run: first, instance: instance(3) }), again);
    assert.equal(transition(again, { type: 'launch-failed', run: first, message: 'x' }), again);
  });
});

describe('service state: health', () => {
  it('turns healthy once, keeping the first healthy time across a dip', () => {
    const run = new AbortController();
    const healthy = transition(launched(run), { type: 'healthy', run, at: 2000 });
    assert.equal(healthy.phase.kind, 'healthy');
    assert.equal(healthy.history.healthyAt, 2000);
    assert.equal(transition(healthy, { type: 'healthy', run, at: 2500 }), healthy);
    const dip = transition(healthy, {
      type: 'unhealthy',
      run,
      message: 'health check failed 3 times in a row',
    });
    assert.equal(phaseOf(dip, 'unhealthy').message, 'health check failed 3 times in a row');
    assert.equal(transition(dip, { type: 'unhealthy', run, message: 'again' }), dip);
    const back = transition(dip, { type: 'healthy', run, at: 9000 });
    assert.equal(back.phase.kind, 'healthy');
    assert.equal(back.history.healthyAt, 2000);
  });

  it('is unhealthy when the start window runs out before a first pass', () => {
    const run = new AbortController();
    const late = transition(launched(run), { type: 'unhealthy', run, message: 'not healthy after 30.0 s' });
    assert.equal(shownState(late.phase), 'unhealthy');
  });

  it('a health result of a run that was restarted changes nothing', () => {
    const old = new AbortController();
    const next = new AbortController();
    const proc = instance(1);
    const restarting = transition(launched(old, proc), { type: 'restart', next, at: 3000 });
    assert.equal(transition(restarting, { type: 'healthy', run: old, at: 3001 }), restarting);
    const relaunched = transition(restarting, { type: 'stop-done', instance: proc, next, at: 3100 });
    const started = transition(relaunched, { type: 'launched', run: next, instance: instance(2) });
    assert.equal(started.phase.kind, 'checking');
    for (const event of [
      { type: 'healthy', run: old, at: 3200 },
      { type: 'unhealthy', run: old, message: 'stale' },
      { type: 'image-health', run: old, health: 'healthy' },
      { type: 'image-check', run: old, imageCheck: true },
    ] as const)
      assert.equal(transition(started, event), started, event.type);
  });

  it('keeps the image HEALTHCHECK status and whether it is the check, for the current instance', () => {
    const run = new AbortController();
    const up = launched(run);
    const seen = transition(up, { type: 'image-health', run, health: 'starting' });
    assert.equal(seen.history.imageHealth, 'starting');
    const isCheck = transition(seen, { type: 'image-check', run, imageCheck: true });
    assert.equal(isCheck.history.imageCheck, true);
    assert.equal(transition(isCheck, { type: 'image-check', run, imageCheck: true }), isCheck);
    const launching = drive(initialState(), { type: 'start', run, at: 1 });
    assert.equal(transition(launching, { type: 'image-health', run, health: 'healthy' }), launching);
  });
});
