import { basename, dirname, relative, sep } from 'node:path';
import { cpuCores } from '../manifest/validate-deploy.js';
import { composeDuration, containerProbe } from './health.js';
import { type ExportedService, type ExportPlan, exportedHealth } from './plan.js';

export interface ComposeOptions {
  /** Folder the compose file is written to: build contexts are relative to it. */
  outputDir: string;
  /** Publish ports on every interface instead of 127.0.0.1 only. */
  publishAll?: boolean;
}

/** compose interpolates `$` in values: `$$` is a literal dollar. Pure. */
export function escapeDollars(value: string): string {
  // A function, not a string: in a replacement string `$$` would itself mean one `$`.
  return value.replaceAll('$', () => '$$');
}

export function escapeAll(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, escapeDollars(v)]));
}

/** "./services/cache", never an absolute path: the file works wherever the project is checked out. */
function relativeDir(from: string, to: string): string {
  const rel = relative(from, to).split(sep).join('/');
  return rel === '' ? '.' : rel.startsWith('.') ? rel : `./${rel}`;
}

function imageKeys(service: ExportedService, opts: ComposeOptions): Record<string, unknown> {
  const { source } = service;
  if (source.kind !== 'build') return { image: source.image };
  return {
    image: source.image,
    build: {
      context: relativeDir(opts.outputDir, dirname(source.dockerfile)),
      dockerfile: basename(source.dockerfile),
    },
  };
}

/** A fixed port keeps its number on the host; "auto" (AUTO_CONTAINER_PORT) gets a free host port. */
function ports(service: ExportedService, opts: ComposeOptions): unknown[] | undefined {
  if (service.port === undefined) return undefined;
  return [
    {
      target: service.port,
      ...(service.portIsFixed ? { published: String(service.port) } : {}),
      ...(opts.publishAll ? {} : { host_ip: '127.0.0.1' }),
      protocol: 'tcp',
    },
  ];
}

export function healthcheck(service: ExportedService): Record<string, unknown> | undefined {
  const check = exportedHealth(service);
  const test = check && containerProbe(check, service.port);
  if (!test) return undefined;
  const t = service.healthTiming;
  return {
    test: test.map(escapeDollars),
    interval: composeDuration(t.interval),
    timeout: composeDuration(t.timeout),
    retries: t.retries,
    ...(t.startPeriod !== undefined ? { start_period: composeDuration(t.startPeriod) } : {}),
  };
}

/** Healthy when the dependency has a check; started when it has none (compose refuses service_healthy then). */
function dependsOn(service: ExportedService, byName: Map<string, ExportedService>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const dep of service.dependsOn) {
    const target = byName.get(dep);
    const checked = target !== undefined && healthcheck(target) !== undefined;
    out[dep] = { condition: checked ? 'service_healthy' : 'service_started' };
  }
  return out;
}

const DECIMAL: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/**
 * A Kubernetes memory quantity as docker reads sizes (go-units RAMInBytes,
 * where "m" already means MiB): "256Mi" -> "256m"; a decimal "512M" becomes
 * its exact byte count. Pure.
 */
export function dockerMemory(memory: string): string {
  const [, digits = '0', suffix = ''] = /^(\d+)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(memory) ?? [];
  if (suffix.endsWith('i')) return `${digits}${suffix[0]!.toLowerCase()}`;
  return String(Number(digits) * (DECIMAL[suffix] ?? 1));
}

/** `[services.x.deploy]` as compose's deploy: replicas, memory limit, cpu and memory reservations. */
export function deploy(service: ExportedService): Record<string, unknown> | undefined {
  const d = service.deploy;
  if (!d) return undefined;
  const reservations = {
    ...(d.cpu ? { cpus: String(cpuCores(d.cpu)) } : {}),
    ...(d.memory ? { memory: dockerMemory(d.memory) } : {}),
  };
  const resources = {
    ...(d.memory ? { limits: { memory: dockerMemory(d.memory) } } : {}),
    ...(Object.keys(reservations).length > 0 ? { reservations } : {}),
  };
  return {
    ...(d.replicas !== undefined ? { replicas: d.replicas } : {}),
    ...(Object.keys(resources).length > 0 ? { resources } : {}),
  };
}

/**
 * The plan as a compose-spec document: one network for the project, every
 * service on it, reachable by its name. Pure.
 */
export function composeDocument(plan: ExportPlan, opts: ComposeOptions): Record<string, unknown> {
  const byName = new Map(plan.services.map((s) => [s.name, s]));
  const services: Record<string, unknown> = {};
  for (const s of plan.services) {
    const deps = dependsOn(s, byName);
    const published = ports(s, opts);
    const check = healthcheck(s);
    services[s.name] = {
      ...imageKeys(s, opts),
      environment: escapeAll(s.env),
      ...(published ? { ports: published } : {}),
      ...(Object.keys(deps).length > 0 ? { depends_on: deps } : {}),
      ...(check ? { healthcheck: check } : {}),
      restart: s.restart,
      stop_grace_period: composeDuration(s.stopTimeoutMs),
      networks: [plan.project],
      ...(s.data ? { volumes: [dataMount(s.data)] } : {}),
      ...(s.deploy ? { deploy: deploy(s) } : {}),
    };
  }
  return {
    name: plan.project,
    services,
    networks: { [plan.project]: {} },
    ...namedVolumes(plan),
  };
}

/** A database's data folder on its named volume (compose's long syntax). */
export function dataMount(data: { volume: string; path: string }): Record<string, unknown> {
  return { type: 'volume', source: data.volume, target: data.path };
}

/** The top-level `volumes:` the databases' data needs, if any. */
export function namedVolumes(plan: ExportPlan): { volumes?: Record<string, unknown> } {
  const names = plan.services.flatMap((s) => (s.data ? [s.data.volume] : []));
  return names.length > 0 ? { volumes: Object.fromEntries(names.map((n) => [n, {}])) } : {};
}
