import type { ProjectCleanup } from '../../core/docker/cleanup.js';
import type { Manifest } from '../../core/manifest/types.js';
import type { DownReport } from '../../core/supervisor/control.js';

/** Whether a plain `poly up` runs anything in a container (`poly up --container` is seen through the supervisor). */
export function usesContainers(manifest: Manifest): boolean {
  if (manifest.project.mode === 'container') return true;
  return Object.values(manifest.services).some((s) => s.image || s.build || s.mode === 'container');
}

/**
 * Removes every container and network labelled with the project (and with `volumes`, its
 * volumes). Loads dockerode. No engine: nothing of ours can be running in it, so nothing to
 * do; only `volumes` on a project that uses containers asks for the engine outright (a project
 * whose only data is native databases' folders has no volumes to remove).
 */
export async function removeProjectDocker(
  manifest: Manifest,
  volumes: boolean,
  env: NodeJS.ProcessEnv,
): Promise<ProjectCleanup | undefined> {
  const { connectDocker } = await import('../../core/docker/client.js');
  const { removeProjectResources } = await import('../../core/docker/cleanup.js');
  let client: Awaited<ReturnType<typeof connectDocker>>;
  try {
    client = await connectDocker(env);
  } catch (err) {
    if (volumes && usesContainers(manifest)) throw err;
    return undefined;
  }
  return removeProjectResources(client, { name: manifest.project.name, root: manifest.root }, { volumes });
}

/**
 * The supervisor's part of `poly down`, once its services stopped: the removal `poly down`
 * would do, done where dockerode is loaded already when containers ran, so `poly down` need
 * not load it (about a second of CPU). Undefined when it failed: `poly down` then does it
 * itself and reports the error.
 */
export async function removeAfterDown(
  manifest: Manifest,
  ranContainers: boolean,
  volumes: boolean,
  env: NodeJS.ProcessEnv,
): Promise<DownReport | undefined> {
  if (!volumes && !ranContainers && !usesContainers(manifest)) return {};
  try {
    const removed = await removeProjectDocker(manifest, volumes, env);
    return removed ? { removed } : {};
  } catch {
    return undefined;
  }
}
