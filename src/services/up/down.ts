import { rmSync } from 'node:fs';
import type { PolyContext } from '../../core/context.js';
import { requireManifest } from '../../core/manifest/load.js';
import { projectLayout } from '../../core/store/layout.js';
import { readSupervisorFile } from '../../core/supervisor/host.js';
import { endProjectProcesses } from '../../core/supervisor/process-tree.js';
import { askSupervisor } from './control-client.js';
import { removeProjectDocker, usesContainers } from './project-docker.js';
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
 * `volumes`, its dependency-cache volumes): by the supervisor, before it exits,
 * when one answered; else here.
 */
export async function stopServices(options: {
  cwd: string;
  volumes?: boolean;
  ctx: PolyContext;
}): Promise<DownResult> {
  const manifest = requireManifest(options.cwd);
  const layout = projectLayout(manifest.root);
  const before = await askSupervisor(layout, { cmd: 'ps' });
  let result: DownResult = { project: layout.root, stopped: false, services: [] };
  let stopped: Awaited<ReturnType<typeof askSupervisor>>;
  if (before?.info) {
    stopped = await askSupervisor(layout, { cmd: 'down', volumes: options.volumes ?? false }, 15 * 60_000);
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
    const { removeDatabaseData } = await import('../../core/databases/data-folders.js');
    const removedData = removeDatabaseData(manifest);
    if (removedData.length) result.removedData = removedData;
  }
  // A supervisor that answered removed the containers and network itself (it had dockerode loaded
  // when it ran containers); only without its report does down load dockerode to remove them.
  const report = stopped?.down;
  const ranContainers = (before?.info ?? stale)?.services.some((s) => s.mode === 'container') ?? false;
  const volumes = options.volumes ?? false;
  const cleanup = report
    ? report.removed
    : volumes || ranContainers || usesContainers(manifest)
      ? await removeProjectDocker(manifest, volumes, options.ctx.env)
      : undefined;
  if (cleanup) {
    const { running, ...removed } = cleanup;
    result.removed = removed;
    // Containers a killed supervisor (and its watchdog) left running were running: say so.
    const orphans = running.filter((name) => !result.services.includes(name));
    if (orphans.length > 0) result = { ...result, stopped: true, services: [...result.services, ...orphans] };
  }
  return result;
}
