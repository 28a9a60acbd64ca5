import { PolyError } from '../errors.js';
import { STACK_NAMESPACE_LABEL, type StackSpec, type SwarmServiceSpec } from '../export/swarm-services.js';
import { type DockerClient, engineMessage, statusCodeOf } from './client.js';
import { describeEndpoint } from './endpoint.js';

/** What exists of a stack on the Swarm, by the label docker stack puts on it. */
export interface StackObjects {
  services: { id: string; name: string; version: number; spec: SwarmServiceSpec }[];
  networks: { id: string; name: string }[];
  volumes: string[];
}

/** One task of a service, reduced to what convergence needs. */
export interface SwarmTask {
  state: string;
  desiredState: string;
  error?: string;
  message?: string;
  nodeId?: string;
  /** Host-mode published ports of this task. */
  publishedPorts: number[];
}

/** Refuses an engine that is not a Swarm manager, saying how to make it one. */
export async function requireSwarmManager(client: DockerClient): Promise<void> {
  const info = (await client.api.info()) as {
    Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean };
  };
  const where = describeEndpoint(client.endpoint);
  const state = info.Swarm?.LocalNodeState ?? 'inactive';
  if (state !== 'active')
    throw new PolyError('SWARM_INACTIVE', `the Docker engine at ${where} is not part of a Swarm (${state})`, {
      hint: 'Start a Swarm on it with `docker swarm init` (or join one with `docker swarm join`), or point DOCKER_HOST / --context at a Swarm manager.',
    });
  if (!info.Swarm?.ControlAvailable)
    throw new PolyError(
      'SWARM_NOT_MANAGER',
      `the Docker engine at ${where} is a Swarm worker, not a manager`,
      {
        hint: 'Deploy through a manager: DOCKER_HOST=ssh://user@manager, or --context <manager context>. `docker node ls` on a manager lists them.',
      },
    );
}

const stackFilter = (stack: string) => JSON.stringify({ label: [`${STACK_NAMESPACE_LABEL}=${stack}`] });

export async function stackObjects(client: DockerClient, stack: string): Promise<StackObjects> {
  const filters = stackFilter(stack);
  const [services, networks, volumes] = await Promise.all([
    client.api.listServices({ filters }),
    client.api.listNetworks({ filters }),
    client.api.listVolumes({ filters }),
  ]);
  return {
    services: services.map((s) => ({
      id: s.ID as string,
      name: s.Spec?.Name as string,
      version: s.Version?.Index as number,
      spec: s.Spec as unknown as SwarmServiceSpec,
    })),
    networks: networks.map((n) => ({ id: n.Id, name: n.Name })),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name),
  };
}

export async function createOverlayNetwork(
  client: DockerClient,
  spec: StackSpec['network'],
): Promise<string> {
  const network = await client.api.createNetwork({ ...spec, CheckDuplicate: true });
  return network.id;
}

export async function createSwarmService(client: DockerClient, spec: SwarmServiceSpec): Promise<string> {
  try {
    // dockerode's types know fewer ServiceSpec fields than the API has.
    const created = (await client.api.createService(spec as never)) as { id?: string; ID?: string };
    return (created.id ?? created.ID) as string;
  } catch (cause) {
    throw swarmRefused(`create service ${spec.Name}`, cause);
  }
}

/** Replaces a service's spec; `version` is the one read, so a concurrent change fails instead of being lost. */
export async function updateSwarmService(
  client: DockerClient,
  id: string,
  version: number,
  spec: SwarmServiceSpec,
): Promise<void> {
  try {
    await client.api.getService(id).update({ ...spec, version } as never);
  } catch (cause) {
    throw swarmRefused(`update service ${spec.Name}`, cause);
  }
}

export async function serviceVersion(client: DockerClient, id: string): Promise<number> {
  const s = (await client.api.getService(id).inspect()) as { Version?: { Index?: number } };
  return s.Version?.Index ?? 0;
}

/** Removes a service, a network or a volume; one already gone counts as removed. */
export async function removeSwarmObject(
  client: DockerClient,
  kind: 'service' | 'network' | 'volume',
  id: string,
): Promise<void> {
  try {
    if (kind === 'service') await client.api.getService(id).remove();
    else if (kind === 'network') await client.api.getNetwork(id).remove();
    else await client.api.getVolume(id).remove();
  } catch (err) {
    if (statusCodeOf(err) !== 404) throw err;
  }
}

export async function serviceTasks(client: DockerClient, serviceId: string): Promise<SwarmTask[]> {
  const tasks = (await client.api.listTasks({
    filters: JSON.stringify({ service: [serviceId] }),
  })) as {
    NodeID?: string;
    DesiredState?: string;
    Status?: {
      State?: string;
      Err?: string;
      Message?: string;
      PortStatus?: { Ports?: { PublishedPort?: number }[] };
    };
    UpdatedAt?: string;
  }[];
  // Newest first: the last error is the one a user needs.
  tasks.sort((a, b) => String(b.UpdatedAt).localeCompare(String(a.UpdatedAt)));
  return tasks.map((t) => ({
    state: t.Status?.State ?? 'unknown',
    desiredState: t.DesiredState ?? 'unknown',
    ...(t.Status?.Err ? { error: t.Status.Err } : {}),
    ...(t.Status?.Message ? { message: t.Status.Message } : {}),
    ...(t.NodeID ? { nodeId: t.NodeID } : {}),
    publishedPorts: (t.Status?.PortStatus?.Ports ?? []).flatMap((p) =>
      p.PublishedPort ? [p.PublishedPort] : [],
    ),
  }));
}

/** The ports Swarm published for a service (ingress: on every node), as the endpoint reports them. */
export async function servicePublishedPorts(client: DockerClient, serviceId: string): Promise<number[]> {
  const s = (await client.api.getService(serviceId).inspect()) as {
    Endpoint?: { Ports?: { PublishedPort?: number }[] };
  };
  return (s.Endpoint?.Ports ?? []).flatMap((p) => (p.PublishedPort ? [p.PublishedPort] : []));
}

/** A node's address as the Swarm knows it (the address host-mode ports are published on). */
export async function nodeAddress(client: DockerClient, nodeId: string): Promise<string | undefined> {
  const n = (await client.api.getNode(nodeId).inspect()) as { Status?: { Addr?: string } };
  return n.Status?.Addr;
}

function swarmRefused(what: string, cause: unknown): PolyError {
  return new PolyError('SWARM_REFUSED', `the Swarm refused to ${what}: ${engineMessage(cause)}`, {
    hint: 'Nothing this run created was left behind. Check the message; `docker service ls` shows the Swarm.',
    cause,
  });
}

/** The state of a service's last update (absent on a service never updated). */
export async function serviceUpdateState(
  client: DockerClient,
  serviceId: string,
): Promise<{ state: string; message?: string } | undefined> {
  const s = (await client.api.getService(serviceId).inspect()) as {
    UpdateStatus?: { State?: string; Message?: string };
  };
  if (!s.UpdateStatus?.State) return undefined;
  return {
    state: s.UpdateStatus.State,
    ...(s.UpdateStatus.Message ? { message: s.UpdateStatus.Message } : {}),
  };
}
