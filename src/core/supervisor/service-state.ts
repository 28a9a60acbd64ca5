import type { RestartPolicy } from '../manifest/types.js';
import { describeExit, type ExitStatus, type RunningService } from './runner.js';
import { CRASH_LOOP_AFTER, restartDelay, STABLE_RUN_MS } from './status.js';

/**
 * One attempt to run the service, from its launch until it ends. Aborting it
 * cancels everything the attempt set going: its health checks, image health
 * reads, start progress, busy-port note and the backoff timer before it. A
 * callback of an aborted run can still send events; transition() ignores them.
 */
export type Run = AbortController;

/**
 * Where one service is, with the data that only exists there. A phase with a
 * `run` is that run's: the run is live exactly while the phase holds it.
 */
export type Phase =
  /** Not started yet: its dependencies are not healthy. */
  | { kind: 'waiting'; message?: string }
  /** The runner is starting it (a pull or build can take minutes); no instance yet. */
  | { kind: 'launching'; run: Run; since: number; message?: string }
  /** The instance exists; its health check has not passed yet. */
  | { kind: 'checking'; run: Run; since: number; instance: RunningService }
  | { kind: 'healthy'; run: Run; since: number; instance: RunningService }
  | { kind: 'unhealthy'; run: Run; since: number; instance: RunningService; message: string }
  /** Ended, and restarts after `delay`; `run` is the run that launch will be. */
  | { kind: 'backoff'; run: Run; attempt: number; delay: number; message: string }
  /** Its instance is being stopped; `after` says what follows once it ended. */
  | {
      kind: 'stopping';
      instance: RunningService;
      since: number;
      after: 'stop' | 'restart';
      message?: string;
    }
  | { kind: 'stopped' }
  /** Ended with code 0 and its policy does not restart it. */
  | { kind: 'exited'; message: string }
  /** Ended and will not be restarted, or could not be started. */
  | { kind: 'failed'; message: string };

/** What outlives one phase: counters, and what the status shows of the latest run. */
export interface History {
  restarts: number;
  /** Runs in a row that ended before STABLE_RUN_MS: the backoff's exponent. */
  quickFailures: number;
  /** How the latest instance ended: "exited with code 1". */
  lastExit?: string;
  /** When the latest run first passed its health check. */
  healthyAt?: number;
  /** The latest run's image HEALTHCHECK status, when its image has one. */
  imageHealth?: string;
  /** The image's HEALTHCHECK is the service's check: it has no `health` of its own. */
  imageCheck: boolean;
}

export interface ServiceLife {
  phase: Phase;
  history: History;
}

/**
 * What can happen to a service. Events of one run carry it: an event whose
 * run is not the live one (a stale health result, a late exit) changes nothing.
 * A `next` run is a fresh one the event may launch.
 */
export type ServiceEvent =
  | { type: 'wait'; deps: string[] }
  /** The supervisor starts it: its dependencies are healthy. */
  | { type: 'start'; run: Run; at: number }
  | { type: 'progress'; run: Run; message: string }
  | { type: 'launched'; run: Run; instance: RunningService }
  | { type: 'launch-failed'; run: Run; message: string }
  | { type: 'image-health'; run: Run; health: string }
  | { type: 'image-check'; run: Run; imageCheck: boolean }
  | { type: 'healthy'; run: Run; at: number }
  | { type: 'unhealthy'; run: Run; message: string }
  | { type: 'exited'; run: Run; status: ExitStatus; at: number; policy: RestartPolicy; next: Run }
  /** Which process holds the port, found while the run that just failed waits for its restart. */
  | { type: 'busy-port'; run: Run; note: string }
  /** The backoff delay of `run` is over. */
  | { type: 'retry'; run: Run; at: number }
  | { type: 'restart'; reason?: string; next: Run; at: number }
  | { type: 'stop' }
  /** The instance being stopped has ended. */
  | { type: 'stop-done'; instance: RunningService; next: Run; at: number };

export function initialState(): ServiceLife {
  return { phase: { kind: 'waiting' }, history: { restarts: 0, quickFailures: 0, imageCheck: false } };
}

/** The run a phase holds while it is live, which an abort ends. */
export function liveRun(phase: Phase): Run | undefined {
  return 'run' in phase ? phase.run : undefined;
}

/**
 * The service's next state. Pure: returns `state` itself when the event does
 * not apply (a stale run's, or one the phase ignores), so callers see "nothing
 * happened" by identity. Side effects (launching, stopping, timers, aborting
 * the run a phase let go of) are the caller's, read off the new state.
 */
export function transition(state: ServiceLife, event: ServiceEvent): ServiceLife {
  const { phase, history } = state;
  const ofRun = 'run' in event && liveRun(phase) === event.run;
  switch (event.type) {
    case 'wait':
      if (phase.kind !== 'waiting') return state;
      return withPhase(state, {
        kind: 'waiting',
        ...(event.deps.length ? { message: `waiting for ${event.deps.join(', ')}` } : {}),
      });
    case 'start':
      return phase.kind === 'waiting' ? launch(history, event.run, event.at, false) : state;
    case 'progress':
      if (!ofRun || phase.kind !== 'launching') return state;
      return withPhase(state, { ...phase, message: event.message });
    case 'launched':
      if (!ofRun || phase.kind !== 'launching') return state;
      return withPhase(state, {
        kind: 'checking',
        run: phase.run,
        since: phase.since,
        instance: event.instance,
      });
    case 'launch-failed':
      if (!ofRun || phase.kind !== 'launching') return state;
      return withPhase(state, { kind: 'failed', message: event.message });
    case 'image-health':
      if (!ofRun || !hasInstance(phase)) return state;
      return { phase, history: { ...history, imageHealth: event.health } };
    case 'image-check':
      if (!ofRun || !hasInstance(phase) || history.imageCheck === event.imageCheck) return state;
      return { phase, history: { ...history, imageCheck: event.imageCheck } };
    case 'healthy':
      if (!ofRun || (phase.kind !== 'checking' && phase.kind !== 'unhealthy')) return state;
      return {
        phase: { kind: 'healthy', run: phase.run, since: phase.since, instance: phase.instance },
        history: { ...history, healthyAt: history.healthyAt ?? event.at },
      };
    case 'unhealthy':
      if (!ofRun || (phase.kind !== 'checking' && phase.kind !== 'healthy')) return state;
      return withPhase(state, {
        kind: 'unhealthy',
        run: phase.run,
        since: phase.since,
        instance: phase.instance,
        message: event.message,
      });
    case 'exited':
      return ofRun && hasInstance(phase) ? ended(state, phase.since, event) : state;
    case 'busy-port':
      if (!ofRun || phase.kind !== 'backoff') return state;
      return withPhase(state, { ...phase, message: `${phase.message}; ${event.note}` });
    case 'retry':
      return ofRun && phase.kind === 'backoff' ? launch(history, phase.run, event.at, true) : state;
    case 'restart':
      return restart(state, event);
    case 'stop':
      if (hasInstance(phase) || phase.kind === 'stopping')
        return withPhase(state, {
          kind: 'stopping',
          instance: phase.instance,
          since: phase.since,
          after: 'stop',
        });
      return withPhase(state, { kind: 'stopped' });
    case 'stop-done':
      if (phase.kind !== 'stopping' || phase.instance !== event.instance) return state;
      if (phase.after === 'stop') return withPhase(state, { kind: 'stopped' });
      return launch(history, event.next, event.at, true);
  }
}

type InstancePhase = Extract<Phase, { kind: 'checking' | 'healthy' | 'unhealthy' }>;

function hasInstance(phase: Phase): phase is InstancePhase {
  return phase.kind === 'checking' || phase.kind === 'healthy' || phase.kind === 'unhealthy';
}

function withPhase(state: ServiceLife, phase: Phase): ServiceLife {
  return { phase, history: state.history };
}

/** A new run begins: what the status showed of the previous one goes. */
function launch(history: History, run: Run, at: number, again: boolean): ServiceLife {
  const { healthyAt: _healthyAt, imageHealth: _imageHealth, ...kept } = history;
  return {
    phase: { kind: 'launching', run, since: at },
    history: { ...kept, restarts: history.restarts + (again ? 1 : 0) },
  };
}

/**
 * A restart stops the instance first when there is one; otherwise (waiting,
 * starting, in backoff, ended) it launches at once. It starts the backoff over.
 */
function restart(state: ServiceLife, event: Extract<ServiceEvent, { type: 'restart' }>): ServiceLife {
  const { phase } = state;
  const history = { ...state.history, quickFailures: 0 };
  if (hasInstance(phase) || phase.kind === 'stopping') {
    const message = event.reason ? `restarting: ${event.reason}` : 'restarting';
    const { instance, since } = phase;
    return { phase: { kind: 'stopping', instance, since, after: 'restart', message }, history };
  }
  return launch(history, event.next, event.at, true);
}

/** The instance ended on its own: its restart policy decides between ending here and a backoff. */
function ended(
  state: ServiceLife,
  since: number,
  event: Extract<ServiceEvent, { type: 'exited' }>,
): ServiceLife {
  const lastExit = describeExit(event.status);
  const failed = event.status.code !== 0 || event.status.signal !== null;
  const history = { ...state.history, lastExit };
  if (event.policy === 'no' || (event.policy === 'on-failure' && !failed))
    return { phase: { kind: failed ? 'failed' : 'exited', message: lastExit }, history };
  const quickFailures = event.at - since >= STABLE_RUN_MS ? 1 : history.quickFailures + 1;
  const delay = restartDelay(quickFailures);
  const when = delay >= 1000 ? `${(delay / 1000).toFixed(1)} s` : `${delay} ms`;
  const message =
    quickFailures >= CRASH_LOOP_AFTER
      ? `crash loop: ${lastExit}, ${quickFailures} times in a row; next try in ${when}`
      : `${lastExit}; restarting in ${when}`;
  return {
    phase: { kind: 'backoff', run: event.next, attempt: quickFailures, delay, message },
    history: { ...history, quickFailures },
  };
}
