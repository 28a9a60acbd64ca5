import { setTimeout as sleep } from 'node:timers/promises';
import type { DockerClient } from '../../core/docker/client.js';
import { type SwarmTask, serviceTasks, serviceUpdateState } from '../../core/docker/swarm.js';
import { PolyError } from '../../core/errors.js';

export interface DeployedService {
  /** The exported name (its DNS name in the stack). */
  service: string;
  id: string;
  replicas: number;
}

/** Per service: how many tasks run, and the newest error its tasks reported. */
export interface ConvergeProgress {
  service: string;
  running: number;
  replicas: number;
  lastError?: string;
  /** The newest task's state ("starting": its healthcheck has not passed yet). */
  newestState?: string;
}

const POLL_MS = 1000;
/** Update states in which the Swarm gave up on the new spec. */
const UPDATE_FAILED = new Set(['paused', 'rollback_started', 'rollback_paused', 'rollback_completed']);

/** The newest failure among a service's tasks, as `docker service ps --no-trunc` shows it. */
function lastTaskError(tasks: readonly SwarmTask[]): string | undefined {
  const failed = tasks.find((t) => t.error || ['failed', 'rejected'].includes(t.state));
  return failed ? `${failed.state}: ${failed.error ?? failed.message ?? 'no message'}` : undefined;
}

async function progressOf(
  client: DockerClient,
  s: DeployedService,
): Promise<ConvergeProgress & { done: boolean }> {
  const [tasks, update] = await Promise.all([serviceTasks(client, s.id), serviceUpdateState(client, s.id)]);
  // A task reports "running" only once its healthcheck passed (Swarm holds it in "starting" until then).
  const running = tasks.filter((t) => t.desiredState === 'running' && t.state === 'running').length;
  const err =
    lastTaskError(tasks) ?? (update && UPDATE_FAILED.has(update.state) ? update.message : undefined);
  const updating = update !== undefined && update.state !== 'completed';
  return {
    service: s.service,
    running,
    replicas: s.replicas,
    ...(err ? { lastError: err } : {}),
    ...(tasks[0] ? { newestState: tasks[0].state } : {}),
    done: running >= s.replicas && !updating,
  };
}

/**
 * Waits until every service has its replicas running and healthy, polling
 * the Swarm's tasks. Past `timeoutMs`, throws naming each service that did
 * not converge and the last error its tasks reported.
 */
export async function waitForConvergence(
  client: DockerClient,
  services: readonly DeployedService[],
  timeoutMs: number,
  onProgress: (p: ConvergeProgress) => void = () => {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...services];
  for (;;) {
    const states = await Promise.all(pending.map((s) => progressOf(client, s)));
    for (const p of states) onProgress(p);
    pending = pending.filter((_, i) => !states[i]!.done);
    if (pending.length === 0) return;
    if (Date.now() >= deadline)
      throw notConverged(
        states.filter((p) => !p.done),
        timeoutMs,
      );
    await sleep(POLL_MS);
  }
}

function notConverged(stuck: readonly ConvergeProgress[], timeoutMs: number): PolyError {
  const lines = stuck.map(
    (p) =>
      `${p.service}: ${p.running}/${p.replicas} running${p.lastError ? `, last task error: ${p.lastError}` : ''}`,
  );
  return new PolyError(
    'DEPLOY_TIMEOUT',
    `not every service converged healthy within ${Math.round(timeoutMs / 1000)}s: ${lines.join('; ')}`,
    {
      hint: "What this run created was removed again. Check the service's image, command and health (a healthcheck runs inside the image); raise --timeout for slow starts.",
    },
  );
}
