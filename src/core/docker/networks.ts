import type { Host } from '../context.js';
import type { DockerClient } from './client.js';
import { isLocalLinuxEngine, statusCodeOf } from './client.js';
import { networkName, type ProjectRef, projectFilters, projectLabels } from './labels.js';

export interface ProjectNetwork {
  id: string;
  name: string;
  /** The bridge's address on the host side, e.g. 172.18.0.1: where containers reach the host. */
  gateway: string | undefined;
}

interface NetworkInspect {
  Id: string;
  Name: string;
  IPAM?: { Config?: { Gateway?: string; Subnet?: string }[] };
}

function toProjectNetwork(info: NetworkInspect): ProjectNetwork {
  const gateway = info.IPAM?.Config?.find((c) => c.Gateway && !c.Gateway.includes(':'))?.Gateway;
  return { id: info.Id, name: info.Name, gateway };
}

/** The project's bridge network (containers reach each other by service name), created once. */
export async function ensureProjectNetwork(
  client: DockerClient,
  project: ProjectRef,
): Promise<ProjectNetwork> {
  const name = networkName(project);
  const existing = await inspectNetwork(client, name);
  if (existing) return existing;
  try {
    await client.api.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: projectLabels(project),
    });
  } catch (err) {
    // Another poly process created it between our inspect and create.
    if (statusCodeOf(err) !== 409) throw err;
  }
  const created = await inspectNetwork(client, name);
  if (!created) throw new Error(`network ${name} vanished right after it was created`);
  return created;
}

export async function inspectNetwork(
  client: DockerClient,
  name: string,
): Promise<ProjectNetwork | undefined> {
  try {
    return toProjectNetwork((await client.api.getNetwork(name).inspect()) as NetworkInspect);
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw err;
  }
}

export async function listProjectNetworks(
  client: DockerClient,
  project: ProjectRef,
): Promise<ProjectNetwork[]> {
  const nets = await client.api.listNetworks({ filters: projectFilters(project) });
  return nets.map((n) => toProjectNetwork(n as unknown as NetworkInspect));
}

export async function removeNetwork(client: DockerClient, id: string): Promise<void> {
  try {
    await client.api.getNetwork(id).remove();
  } catch (err) {
    if (statusCodeOf(err) !== 404) throw err;
  }
}

/**
 * What host.docker.internal maps to in the project's containers: on a local
 * Linux engine the project gateway (a host address where poly's loopback
 * forwarder listens); elsewhere the engine's own "host-gateway".
 */
export async function hostGatewayFor(
  client: DockerClient,
  network: ProjectNetwork,
  host: Host,
): Promise<string> {
  return network.gateway && (await isLocalLinuxEngine(client, host)) ? network.gateway : 'host-gateway';
}
