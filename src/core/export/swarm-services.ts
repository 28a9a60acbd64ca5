import { cpuCores } from '../manifest/validate-deploy.js';
import { containerProbe } from './health.js';
import { type ExportedService, type ExportPlan, exportedHealth } from './plan.js';
import { checkSwarmOptions, type SwarmOptions, swarmRestartCondition } from './swarm.js';

/** The labels `docker stack deploy` puts on what it creates: `docker stack ls/ps/rm` see poly's stacks too. */
export const STACK_NAMESPACE_LABEL = 'com.docker.stack.namespace';
const STACK_IMAGE_LABEL = 'com.docker.stack.image';

/** One Swarm service, as the Engine API's ServiceSpec (the fields poly sets). */
export interface SwarmServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: Record<string, unknown>;
  Mode: { Replicated: { Replicas: number } };
  EndpointSpec: { Mode: 'vip' | 'dnsrr'; Ports?: Record<string, unknown>[] };
}

export interface StackSpec {
  stack: string;
  /** The overlay network every service joins, `<stack>_<project>` as docker stack names it. */
  network: { Name: string; Driver: 'overlay'; Labels: Record<string, string> };
  /** In plan order; `service` is the exported name, the DNS name on the network. */
  services: { service: string; replicas: number; spec: SwarmServiceSpec }[];
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** "256Mi" -> 268435456: a Kubernetes memory quantity in bytes. Pure. */
export function memoryBytes(memory: string): number {
  const [, digits = '0', suffix = ''] = /^(\d+)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(memory) ?? [];
  return Number(digits) * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

const NS_PER_MS = 1_000_000;

function healthcheck(service: ExportedService): Record<string, unknown> | undefined {
  const check = exportedHealth(service);
  const test = check && containerProbe(check, service.port);
  if (!test) return undefined;
  const t = service.healthTiming;
  return {
    Test: test,
    Interval: t.interval * NS_PER_MS,
    Timeout: t.timeout * NS_PER_MS,
    Retries: t.retries,
    ...(t.startPeriod !== undefined ? { StartPeriod: t.startPeriod * NS_PER_MS } : {}),
  };
}

function resources(service: ExportedService): Record<string, unknown> | undefined {
  const d = service.deploy;
  if (!d?.cpu && !d?.memory) return undefined;
  return {
    ...(d.memory ? { Limits: { MemoryBytes: memoryBytes(d.memory) } } : {}),
    Reservations: {
      ...(d.cpu ? { NanoCPUs: Math.round(cpuCores(d.cpu) * 1e9) } : {}),
      ...(d.memory ? { MemoryBytes: memoryBytes(d.memory) } : {}),
    },
  };
}

/** Only fixed ports, as in swarmComposeDocument (Swarm publishes on every interface). */
function ports(service: ExportedService, opts: SwarmOptions): Record<string, unknown>[] | undefined {
  if (service.port === undefined || !service.portIsFixed) return undefined;
  return [
    {
      Protocol: 'tcp',
      TargetPort: service.port,
      PublishedPort: service.port,
      PublishMode: opts.publishMode,
    },
  ];
}

function serviceSpec(plan: ExportPlan, stack: string, s: ExportedService, opts: SwarmOptions) {
  const labels = { [STACK_NAMESPACE_LABEL]: stack };
  const check = healthcheck(s);
  const limits = resources(s);
  const published = ports(s, opts);
  const replicas = s.deploy?.replicas ?? 1;
  const spec: SwarmServiceSpec = {
    Name: `${stack}_${s.name}`,
    Labels: { ...labels, [STACK_IMAGE_LABEL]: s.source.image },
    TaskTemplate: {
      ContainerSpec: {
        Image: s.source.image,
        Labels: labels,
        // The API takes values as they are: no compose interpolation, so no `$$`.
        Env: Object.entries(s.env).map(([k, v]) => `${k}=${v}`),
        ...(check ? { Healthcheck: check } : {}),
        StopGracePeriod: s.stopTimeoutMs * NS_PER_MS,
        ...(s.data
          ? {
              Mounts: [
                {
                  Type: 'volume',
                  Source: `${stack}_${s.data.volume}`,
                  Target: s.data.path,
                  VolumeOptions: { Labels: labels },
                },
              ],
            }
          : {}),
      },
      ...(limits ? { Resources: limits } : {}),
      RestartPolicy: { Condition: swarmRestartCondition(s.restart) },
      Networks: [{ Target: `${stack}_${plan.project}`, Aliases: [s.name] }],
    },
    Mode: { Replicated: { Replicas: replicas } },
    EndpointSpec: { Mode: opts.endpointMode, ...(published ? { Ports: published } : {}) },
  };
  return { service: s.name, replicas, spec };
}

/**
 * The plan as the objects `docker stack deploy` would create from the
 * `--for swarm` compose file, named and labelled as it names them, for the
 * Engine API. Pure.
 */
export function stackSpec(plan: ExportPlan, stack: string, opts: SwarmOptions): StackSpec {
  checkSwarmOptions(opts);
  return {
    stack,
    network: {
      Name: `${stack}_${plan.project}`,
      Driver: 'overlay',
      Labels: { [STACK_NAMESPACE_LABEL]: stack },
    },
    services: plan.services.map((s) => serviceSpec(plan, stack, s, opts)),
  };
}
