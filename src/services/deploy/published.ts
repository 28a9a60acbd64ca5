import type { DockerClient } from '../../core/docker/client.js';
import { nodeAddress, servicePublishedPorts, serviceTasks } from '../../core/docker/swarm.js';
import type { DeployedService } from './converge.js';

export interface PublishedService {
  service: string;
  replicas: number;
  /** host:port addresses where it answers from outside the stack; empty when it publishes nothing. */
  published: string[];
}

/** Where the engine is reached from here: its host for tcp:// and ssh://, this machine for a socket. */
function engineHost(client: DockerClient): string {
  return client.endpoint.kind === 'tcp' ? client.endpoint.host : '127.0.0.1';
}

/**
 * Where each service answers: an ingress port on every node (reached at the
 * engine's address); a host-mode port only on the nodes running its tasks,
 * at each node's Swarm address.
 */
export async function publishedAddresses(
  client: DockerClient,
  services: readonly DeployedService[],
): Promise<PublishedService[]> {
  const out: PublishedService[] = [];
  for (const s of services) {
    const published = new Set<string>();
    for (const port of await servicePublishedPorts(client, s.id))
      published.add(`${engineHost(client)}:${port}`);
    for (const task of await serviceTasks(client, s.id)) {
      if (task.desiredState !== 'running' || task.publishedPorts.length === 0) continue;
      const addr = (task.nodeId && (await nodeAddress(client, task.nodeId))) || engineHost(client);
      for (const port of task.publishedPorts) published.add(`${addr}:${port}`);
    }
    out.push({ service: s.service, replicas: s.replicas, published: [...published].sort() });
  }
  return out;
}
