import { setTimeout as sleep } from 'node:timers/promises';
import type { DockerClient } from '../../core/docker/client.js';
import {
  removeSwarmObject,
  serviceVersion,
  stackObjects,
  updateSwarmService,
} from '../../core/docker/swarm.js';
import type { SwarmServiceSpec } from '../../core/export/swarm-services.js';

export type Created = { kind: 'service' | 'network'; id: string };

/** How long a removal waits for the Swarm to stop a service's containers (a network or volume in use). */
const RELEASE_TIMEOUT_MS = 60_000;

/** Retries a removal the engine refuses while containers still hold the object (409 "in use"). */
async function removeWhenReleased(
  client: DockerClient,
  kind: 'network' | 'volume',
  id: string,
): Promise<void> {
  const deadline = Date.now() + RELEASE_TIMEOUT_MS;
  for (;;) {
    try {
      return await removeSwarmObject(client, kind, id);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}

/**
 * Undoes a failed deploy: services this run created are removed, services it
 * updated get their previous spec back, then the network and the volumes
 * this run created go too. Best effort on each object: one that cannot be
 * undone does not keep the others in place.
 */
export async function rollBack(
  client: DockerClient,
  stack: string,
  created: readonly Created[],
  updated: readonly { id: string; previous: SwarmServiceSpec }[],
  volumesBefore: readonly string[],
): Promise<void> {
  for (const u of updated) {
    await serviceVersion(client, u.id)
      .then((version) => updateSwarmService(client, u.id, version, u.previous))
      .catch(() => {});
  }
  for (const c of created.filter((c) => c.kind === 'service'))
    await removeSwarmObject(client, 'service', c.id).catch(() => {});
  for (const c of created.filter((c) => c.kind === 'network'))
    await removeWhenReleased(client, 'network', c.id).catch(() => {});
  // A network this run created means the stack did not exist before: wait until none of it is listed.
  if (created.some((c) => c.kind === 'network')) await untilGone(client, stack).catch(() => {});
  const now = await stackObjects(client, stack).catch(() => undefined);
  for (const v of now?.volumes ?? [])
    if (!volumesBefore.includes(v)) await removeWhenReleased(client, 'volume', v).catch(() => {});
}

/** A removed overlay network stays listed on the node until its last task is cleaned up: wait for that. */
async function untilGone(client: DockerClient, stack: string): Promise<void> {
  const deadline = Date.now() + RELEASE_TIMEOUT_MS;
  for (;;) {
    const left = await stackObjects(client, stack);
    if (left.services.length === 0 && left.networks.length === 0) return;
    if (Date.now() > deadline) return;
    for (const n of left.networks) await removeSwarmObject(client, 'network', n.id).catch(() => {});
    await sleep(500);
  }
}

/**
 * `poly deploy swarm --rm`: every service and network of the stack, as
 * `docker stack rm` removes them. Volumes stay (they hold the databases'
 * data), as with docker stack rm; `docker volume rm` removes them.
 */
export async function removeStack(
  client: DockerClient,
  stack: string,
): Promise<{ services: string[]; networks: string[] }> {
  const objects = await stackObjects(client, stack);
  for (const s of objects.services) await removeSwarmObject(client, 'service', s.id);
  for (const n of objects.networks) await removeWhenReleased(client, 'network', n.id);
  await untilGone(client, stack);
  return { services: objects.services.map((s) => s.name), networks: objects.networks.map((n) => n.name) };
}
