import assert from 'node:assert/strict';
import type { RestartPolicy } from '../../../src/core/manifest/types.js';
import type { ExitStatus, RunningService } from '../../../src/core/supervisor/runner.js';
import {
  initialState,
  type Phase,
  type Run,
  type ServiceEvent,
  type ServiceLife,
  transition,
} from '../../../src/core/supervisor/service-state.js';

// transition() only compares instances by identity: a plain object stands in for a running process.
export const instance = (pid: number) => ({ id: `pid:${pid}`, pid }) as unknown as RunningService;
export const code = (n: number): ExitStatus => ({ code: n, signal: null });

export function drive(state: ServiceLife, ...events: ServiceEvent[]): ServiceLife {
  return events.reduce(transition, state);
}

/** A service whose first run (`run`, launched at t=1000) has instance `proc`. */
export function launched(run: Run = new AbortController(), proc = instance(1)): ServiceLife {
  return drive(initialState(), { type: 'start', run, at: 1000 }, { type: 'launched', run, instance: proc });
}

export function exit(run: Run, status: ExitStatus, at: number, policy: RestartPolicy = 'on-failure') {
  return { type: 'exited', run, status, at, policy, next: new AbortController() } as const;
}

export function phaseOf<K extends Phase['kind']>(state: ServiceLife, kind: K): Extract<Phase, { kind: K }> {
  assert.equal(state.phase.kind, kind);
  return state.phase as Extract<Phase, { kind: K }>;
}
