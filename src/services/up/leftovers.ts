import { rmSync } from 'node:fs';
import type { Manifest } from '../../core/manifest/types.js';
import type { ProjectLayout } from '../../core/store/layout.js';
import { readSupervisorFile } from '../../core/supervisor/host.js';
import { isProcessRunning } from '../../core/supervisor/process-alive.js';
import {
  endProjectProcesses,
  findMarkedProcesses,
  projectMarkerKey,
} from '../../core/supervisor/process-tree.js';

/**
 * Before a new supervisor plans anything: a supervisor that died without
 * cleaning up (its state file is still there; the caller made sure none
 * answers) may have left processes and containers running when its watchdogs
 * died with it. They are stopped first, so the new one gets the same "auto"
 * ports (they are free again) and reuses the stopped containers.
 */
export async function stopLeftovers(
  manifest: Manifest,
  layout: ProjectLayout,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const stale = readSupervisorFile(layout);
  // A supervisor that is alive but slow to answer is not gone: its services are not leftovers.
  if (!stale || isProcessRunning(stale.pid)) return;
  await endProjectProcesses(layout.root, 10_000);
  if (stale.services.some((s) => s.mode === 'container')) {
    const { connectDocker } = await import('../../core/docker/client.js');
    const { stopProjectContainers } = await import('../../core/docker/cleanup.js');
    const client = await connectDocker(env).catch(() => undefined);
    // No engine now: nothing of ours can be running in it.
    if (client) await stopProjectContainers(client, { name: manifest.project.name, root: manifest.root });
  }
  rmSync(layout.supervisorFile, { force: true });
  rmSync(layout.socket, { force: true });
}

/** What a killed supervisor left running, for `poly ps` when no supervisor answers. */
export async function listLeftovers(
  manifest: Manifest,
  layout: ProjectLayout,
  env: NodeJS.ProcessEnv,
): Promise<{ pids: number[]; containers: string[] } | undefined> {
  const stale = readSupervisorFile(layout);
  if (!stale) return undefined;
  const pids = findMarkedProcesses({ prefix: `${projectMarkerKey(layout.root)}/` });
  let containers: string[] = [];
  if (stale.services.some((s) => s.mode === 'container')) {
    const { connectDocker } = await import('../../core/docker/client.js');
    const { runningProjectContainers } = await import('../../core/docker/cleanup.js');
    const client = await connectDocker(env).catch(() => undefined);
    if (client)
      containers = await runningProjectContainers(client, {
        name: manifest.project.name,
        root: manifest.root,
      });
  }
  return pids.length || containers.length ? { pids, containers } : undefined;
}
