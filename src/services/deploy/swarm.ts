import type { PolyContext } from '../../core/context.js';
import { connectDocker, type DockerClient } from '../../core/docker/client.js';
import { dockerContextEnv } from '../../core/docker/context.js';
import {
  createOverlayNetwork,
  createSwarmService,
  requireSwarmManager,
  type StackObjects,
  stackObjects,
  updateSwarmService,
} from '../../core/docker/swarm.js';
import { checkSwarmOptions, SWARM_DEFAULTS, type SwarmOptions } from '../../core/export/swarm.js';
import { stackSpec } from '../../core/export/swarm-services.js';
import { loadExportPlan } from '../export/write.js';
import { type ConvergeProgress, type DeployedService, waitForConvergence } from './converge.js';
import { type DeployImageEvent, prepareDeployImages } from './images.js';
import { type PublishedService, publishedAddresses } from './published.js';
import { type Created, rollBack } from './rollback.js';
import { selectDeployed } from './select.js';

export interface DeploySwarmOptions {
  cwd: string;
  /** Deploy these services and what they depend on; default: all. */
  services?: string[];
  /** Stack name; default: the project's exported name. */
  stack?: string;
  /** A docker context name (as `docker --context`). */
  context?: string;
  swarm?: Partial<SwarmOptions>;
  timeoutMs?: number;
  /** The caller's environment (DOCKER_HOST, DOCKER_CONTEXT, env_files) and machine. */
  ctx: PolyContext;
  onImage?: (e: DeployImageEvent) => void;
  onProgress?: (p: ConvergeProgress) => void;
}

export interface DeploySwarmResult {
  stack: string;
  /** The services created or updated, each with where it answers. */
  services: PublishedService[];
}

export const DEFAULT_DEPLOY_TIMEOUT_MS = 180_000;

/** The engine the deploy talks to: --context, else DOCKER_HOST / DOCKER_CONTEXT / the current context. */
export async function swarmClient(
  env: NodeJS.ProcessEnv,
  context: string | undefined,
): Promise<DockerClient> {
  const client = await connectDocker(dockerContextEnv(env, context));
  await requireSwarmManager(client);
  return client;
}

/**
 * `poly deploy swarm`: the project's `--for swarm` compose file deployed as a
 * stack through the Engine API, the objects named and labelled as `docker
 * stack deploy` names them. Creates what is missing and updates what exists,
 * waits for every service to run healthy, and on any failure removes what
 * this run created and puts updated services back as they were.
 */
export async function deploySwarm(opts: DeploySwarmOptions): Promise<DeploySwarmResult> {
  const swarm = { ...SWARM_DEFAULTS, ...opts.swarm };
  checkSwarmOptions(swarm);
  const { manifest, plan } = loadExportPlan(opts.cwd, opts.ctx.env);
  const selected = selectDeployed(manifest, plan, opts.services ?? []);
  const stack = opts.stack ?? plan.project;
  const client = await swarmClient(opts.ctx.env, opts.context);
  const services = await prepareDeployImages(client, manifest, selected.services, opts.ctx, opts.onImage);
  const spec = stackSpec({ ...selected, services }, stack, swarm);
  const before = await stackObjects(client, stack);
  const created: Created[] = [];
  const updated: { id: string; previous: StackObjects['services'][number]['spec'] }[] = [];
  try {
    if (!before.networks.some((n) => n.name === spec.network.Name))
      created.push({ kind: 'network', id: await createOverlayNetwork(client, spec.network) });
    const deployed: DeployedService[] = [];
    for (const s of spec.services) {
      const existing = before.services.find((e) => e.name === s.spec.Name);
      if (existing) {
        await updateSwarmService(client, existing.id, existing.version, s.spec);
        updated.push({ id: existing.id, previous: existing.spec });
        deployed.push({ service: s.service, id: existing.id, replicas: s.replicas });
      } else {
        const id = await createSwarmService(client, s.spec);
        created.push({ kind: 'service', id });
        deployed.push({ service: s.service, id, replicas: s.replicas });
      }
    }
    await waitForConvergence(client, deployed, opts.timeoutMs ?? DEFAULT_DEPLOY_TIMEOUT_MS, opts.onProgress);
    return { stack, services: await publishedAddresses(client, deployed) };
  } catch (err) {
    await rollBack(client, stack, created, updated, before.volumes);
    throw err;
  }
}
