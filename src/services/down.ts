import { rmSync } from 'node:fs';
import type { ProjectCleanup } from '../core/docker/cleanup.js';
import { requireManifest } from '../core/manifest/load.js';
import type { Manifest } from '../core/manifest/types.js';
import { projectLayout } from '../core/store/layout.js';
import { readSupervisorFile } from '../core/supervisor/host.js';
import { endProjectProcesses } from '../core/supervisor/process-tree.js';
import { askSupervisor } from './control-client.js';
import { endSupervisorProcess } from './supervisor-process.js';

export interface DownResult {
  project: string;
  /** False when nothing was running. */
  stopped: boolean;
  services: string[];
  /** Pids of processes a killed supervisor left running, which down ended. */
  leftovers?: number[];
  /** Docker objects removed (names), when the project uses containers. */
  removed?: { containers: string[]; networks: string[]; volumes: string[] };
  /** With --volumes: the data folders of native database services removed. */
  removedData?: string[];
}

/**
 * `poly down`: asks the supervisor to stop every service (reverse dependency
 * order) and waits for it to finish. A supervisor that was killed leaves a
 * state file and a socket behind; they are removed, and whatever its
 * watchdogs did not stop (they were killed too) is ended: native processes by
 * their marker (process-tree.ts), containers by their labels. Then every
 * container and network labelled with the project is removed (and, with
 * `volumes`, its dependency-cache volumes).
 */
export async function stopServices(options: { cwd: string; volumes?: boolean }): Promise<DownResult> {
  const manifest = requireManifest(options.cwd);
  const layout = projectLayout(manifest.root);
  const before = await askSupervisor(layout, { cmd: 'ps' });
  let result: DownResult = { project: layout.root, stopped: false, services: [] };
  if (before?.info) {
    await askSupervisor(layout, { cmd: 'down' }, 15 * 60_000);
    // Its services are stopped: a supervisor that does not exit now never will.
    await endSupervisorProcess(before.info.pid, 10_000);
    result = { project: layout.root, stopped: true, services: before.info.services.map((s) => s.name) };
  }
  const stale = before?.info ? undefined : readSupervisorFile(layout);
  if (stale) {
    rmSync(layout.supervisorFile, { force: true });
    rmSync(layout.socket, { force: true });
  }
  // Whatever a killed supervisor (and its watchdogs) left running, found by the marker its processes carry.
  const leftovers = await endProjectProcesses(layout.root, 10_000);
  if (leftovers.length > 0) {
    const names = stale?.services.filter((s) => s.mode === 'native').map((s) => s.name) ?? [];
    result = {
      ...result,
      stopped: true,
      services: result.services.length ? result.services : names,
      leftovers,
    };
  }
  if (options.volumes) {
    const { removeDatabaseData } = await import('../core/databases/data-folders.js');
    const removedData = removeDatabaseData(manifest);
    if (removedData.length) result.removedData = removedData;
  }
  const ranContainers = (before?.info ?? stale)?.services.some((s) => s.mode === 'container') ?? false;
  if (options.volumes || ranContainers || usesContainers(manifest)) {
    const cleanup = await removeContainers(manifest, options.volumes ?? false);
    if (cleanup) {
      const { running, ...removed } = cleanup;
      result.removed = removed;
      // Containers a killed supervisor (and its watchdog) left running were running: say so.
      const orphans = running.filter((name) => !result.services.includes(name));
      if (orphans.length > 0)
        result = { ...result, stopped: true, services: [...result.services, ...orphans] };
    }
  }
  return result;
}

/** Whether a plain `poly up` runs anything in a container (`poly up --container` is seen through the supervisor). */
function usesContainers(manifest: Manifest): boolean {
  if (manifest.project.mode === 'container') return true;
  return Object.values(manifest.services).some((s) => s.image || s.build || s.mode === 'container');
}

async function removeContainers(manifest: Manifest, volumes: boolean): Promise<ProjectCleanup | undefined> {
  const { connectDocker } = await import('../core/docker/client.js');
  const { removeProjectResources } = await import('../core/docker/cleanup.js');
  let client: Awaited<ReturnType<typeof connectDocker>>;
  try {
    client = await connectDocker();
  } catch (err) {
    // No engine: no containers of ours can be running; only --volumes asked for the engine outright
    // (a project whose only data is native databases' folders has no volumes to remove).
    if (volumes && usesContainers(manifest)) throw err;
    return undefined;
  }
  return removeProjectResources(client, { name: manifest.project.name, root: manifest.root }, { volumes });
}
