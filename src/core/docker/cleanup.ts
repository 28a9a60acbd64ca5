import type { DockerClient } from './client.js';
import { listProjectContainers, removeContainer, stopContainer } from './containers.js';
import type { ProjectRef } from './labels.js';
import { listProjectNetworks, removeNetwork } from './networks.js';
import { listProjectVolumes, removeVolume } from './volumes.js';

export interface ProjectCleanup {
  containers: string[];
  networks: string[];
  volumes: string[];
}

/**
 * `poly down`: stops and removes every container labelled with the project,
 * then its network; the dependency-cache volumes only with `volumes: true`.
 */
export async function removeProjectResources(
  client: DockerClient,
  project: ProjectRef,
  opts: { volumes?: boolean; stopTimeoutMs?: number } = {},
): Promise<ProjectCleanup> {
  const containers = await listProjectContainers(client, project);
  await Promise.all(
    containers.map(async (c) => {
      if (c.state === 'running') await stopContainer(client, c.id, opts.stopTimeoutMs ?? 10_000);
      await removeContainer(client, c.id);
    }),
  );
  const networks = await listProjectNetworks(client, project);
  for (const n of networks) await removeNetwork(client, n.id);
  const volumes = opts.volumes ? await listProjectVolumes(client, project) : [];
  for (const v of volumes) await removeVolume(client, v);
  return { containers: containers.map((c) => c.name), networks: networks.map((n) => n.name), volumes };
}
