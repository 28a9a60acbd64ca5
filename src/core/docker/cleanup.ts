import type { DockerClient } from './client.js';
import { listProjectContainers, removeContainer, stopContainer } from './containers.js';
import type { ProjectRef } from './labels.js';
import { listProjectNetworks, removeNetwork } from './networks.js';
import { listProjectVolumes, removeVolume } from './volumes.js';

export interface ProjectCleanup {
  containers: string[];
  /** The services whose containers were still running (a killed supervisor's). */
  running: string[];
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
  return {
    containers: containers.map((c) => c.name),
    running: containers.filter((c) => c.state === 'running').map((c) => c.service ?? c.name),
    networks: networks.map((n) => n.name),
    volumes,
  };
}

/**
 * The project's running containers, stopped (and kept): what a supervisor
 * killed together with its watchdog left, before the next `poly up` plans its
 * ports. Resolves with their names.
 */
export async function stopProjectContainers(
  client: DockerClient,
  project: ProjectRef,
  stopTimeoutMs = 10_000,
): Promise<string[]> {
  const running = (await listProjectContainers(client, project)).filter((c) => c.state === 'running');
  await Promise.all(running.map((c) => stopContainer(client, c.id, stopTimeoutMs)));
  return running.map((c) => c.name);
}

/** The names of the project's running containers. */
export async function runningProjectContainers(client: DockerClient, project: ProjectRef): Promise<string[]> {
  return (await listProjectContainers(client, project))
    .filter((c) => c.state === 'running')
    .map((c) => c.name);
}

/**
 * `poly up -d` after services left Docker (removed from poly.toml, or now
 * native): stops and removes their containers, and the project's network
 * too when `network` is set (nothing of the project runs in Docker any more).
 */
export async function removeServiceContainers(
  client: DockerClient,
  project: ProjectRef,
  services: readonly string[],
  opts: { network?: boolean; stopTimeoutMs?: number } = {},
): Promise<string[]> {
  const containers = (await listProjectContainers(client, project)).filter(
    (c) => c.service !== undefined && services.includes(c.service),
  );
  await Promise.all(
    containers.map(async (c) => {
      if (c.state === 'running') await stopContainer(client, c.id, opts.stopTimeoutMs ?? 10_000);
      await removeContainer(client, c.id);
    }),
  );
  if (opts.network)
    for (const n of await listProjectNetworks(client, project)) await removeNetwork(client, n.id);
  return containers.map((c) => c.name);
}
