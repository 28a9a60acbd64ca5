import { PolyError } from '../errors.js';
import type { RestartPolicy } from '../manifest/types.js';
import { dataMount, deploy, escapeAll, healthcheck, namedVolumes } from './compose.js';
import { composeDuration } from './health.js';
import type { ExportedService, ExportPlan } from './plan.js';

/** How a Swarm service is reached inside the stack: Swarm's virtual IP, or DNS round robin over its tasks. */
export type EndpointMode = 'vip' | 'dnsrr';
/** How a port is published: on every node through the routing mesh, or on the node running the task. */
export type PublishMode = 'ingress' | 'host';

export interface SwarmOptions {
  endpointMode: EndpointMode;
  publishMode: PublishMode;
}

/** Swarm's defaults, as `docker stack deploy` has them. */
export const SWARM_DEFAULTS: SwarmOptions = { endpointMode: 'vip', publishMode: 'ingress' };

/**
 * The compose file format version `docker stack deploy` validates against.
 * 3.8 has everything written here (start_period, endpoint_mode, long port
 * syntax) and is the newest every docker CLI since 19.03 knows.
 */
export const SWARM_COMPOSE_VERSION = '3.8';

/** poly's restart policy as Swarm's restart_policy condition. Pure. */
export function swarmRestartCondition(restart: RestartPolicy): 'none' | 'on-failure' | 'any' {
  return restart === 'no' ? 'none' : restart === 'always' ? 'any' : 'on-failure';
}

/** Swarm cannot route the ingress mesh to DNS round robin services: refuse the pair before deploying. */
export function checkSwarmOptions(opts: SwarmOptions): void {
  if (opts.endpointMode === 'dnsrr' && opts.publishMode === 'ingress')
    throw new PolyError(
      'SWARM_DNSRR_INGRESS',
      '--endpoint-mode dnsrr cannot publish ports through the ingress routing mesh (Swarm refuses the pair)',
      { hint: 'Add --publish-mode host, or use --endpoint-mode vip.', exitCode: 2 },
    );
}

/**
 * Swarm publishes on every interface of a node (it has no host_ip), so only
 * a port poly.toml fixes is published, on that number; an "auto" port (a
 * database's, by default) stays inside the stack's network.
 */
function swarmPorts(service: ExportedService, opts: SwarmOptions): unknown[] | undefined {
  if (service.port === undefined || !service.portIsFixed) return undefined;
  return [
    {
      target: service.port,
      published: service.port,
      protocol: 'tcp',
      mode: opts.publishMode,
    },
  ];
}

function swarmDeploy(service: ExportedService, opts: SwarmOptions): Record<string, unknown> {
  return {
    endpoint_mode: opts.endpointMode,
    ...deploy(service),
    restart_policy: { condition: swarmRestartCondition(service.restart) },
  };
}

/**
 * The plan as a compose file `docker stack deploy` accepts: version 3.8,
 * images only (Swarm builds nothing: `poly build` first), an overlay
 * network, depends_on as a plain list (Swarm ignores it; every service
 * restarts until its dependencies answer), restart as deploy.restart_policy,
 * ports in Swarm's long syntax. Pure.
 */
export function swarmComposeDocument(plan: ExportPlan, opts: SwarmOptions): Record<string, unknown> {
  checkSwarmOptions(opts);
  const services: Record<string, unknown> = {};
  for (const s of plan.services) {
    const published = swarmPorts(s, opts);
    const check = healthcheck(s);
    services[s.name] = {
      image: s.source.image,
      environment: escapeAll(s.env),
      ...(published ? { ports: published } : {}),
      ...(s.dependsOn.length > 0 ? { depends_on: s.dependsOn } : {}),
      ...(check ? { healthcheck: check } : {}),
      stop_grace_period: composeDuration(s.stopTimeoutMs),
      networks: [plan.project],
      ...(s.data ? { volumes: [dataMount(s.data)] } : {}),
      deploy: swarmDeploy(s, opts),
    };
  }
  return {
    version: SWARM_COMPOSE_VERSION,
    services,
    networks: { [plan.project]: { driver: 'overlay' } },
    ...namedVolumes(plan),
  };
}
