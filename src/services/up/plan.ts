import type { PolyContext } from '../../core/context.js';
import { prepareDatabases, withDatabaseVariables } from '../../core/databases/prepare.js';
import type { RelayPort } from '../../core/docker/host-forwarder.js';
import { effectiveMode, serviceEndpoints } from '../../core/docker/service-urls.js';
import type { PeerEndpoint } from '../../core/env/service-env/peers.js';
import { PolyError } from '../../core/errors.js';
import type { Manifest, ServiceMode, ServiceSpec } from '../../core/manifest/types.js';
import { proxySettings } from '../../core/proxy/proxy-settings.js';
import { projectLayout } from '../../core/store/layout.js';
import { selectServices } from '../../core/supervisor/graph.js';
import { NativeRunner } from '../../core/supervisor/native-runner.js';
import { assignPorts, pickFreePort } from '../../core/supervisor/ports.js';
import type { PlannedService } from '../../core/supervisor/reconcile.js';
import type { RotationOptions } from '../../core/supervisor/rotating-log.js';
import type { ServiceRunner } from '../../core/supervisor/runner.js';
import type { SupervisorPlan } from '../../core/supervisor/supervisor.js';
import { publicHttpsPort } from '../proxy/client.js';
import { publicUrlEnv, withPublicUrlVariables } from '../proxy/routes.js';
import { SupervisorContainerRunner } from './containers.js';
import { planEnvironmentBase, planEnvironments } from './env.js';
import { nativesReachedFromContainers } from './relay-reach.js';

/** The runners of one `poly up`: the container one only when some service runs in a container. */
export function serviceRunners(
  container?: SupervisorContainerRunner,
  projectRoot?: string,
): Partial<Record<ServiceMode, ServiceRunner>> {
  const native = new NativeRunner(projectRoot);
  return container ? { native, container } : { native };
}

/**
 * Log rotation size. POLY_LOG_MAX_BYTES exists for tests (a detached
 * supervisor is another process, so an option object cannot reach it).
 */
export function logRotation(env: NodeJS.ProcessEnv): RotationOptions {
  const max = Number.parseInt(env.POLY_LOG_MAX_BYTES ?? '', 10);
  return Number.isInteger(max) && max > 0 ? { maxBytes: max } : {};
}

/** What a running supervisor tells a new plan: see planUp(). */
export interface RunningServices {
  /** The ports its services hold now: not conflicts, since each is kept or freed before anything starts. */
  ports: number[];
  /**
   * Running services the user did not name (`poly up -d api`): planned as they
   * run, so the others' `<NAME>_URL` keep pointing at them.
   */
  untouched?: PlannedService[];
  /** The relay port of each native port it relays now: kept, since containers' variables name it. */
  relays?: Record<number, number>;
}

export interface UpPlan extends SupervisorPlan {
  /** Set when some service runs in a container. */
  containers?: SupervisorContainerRunner;
  /** Native services' ports containers call, relayed from the network gateway to 127.0.0.1 on other ports. */
  forwardPorts: RelayPort[];
}

/** The HTTPS port of `<NAME>_PUBLIC_URL`, or undefined when the proxy is off. */
function proxyPortForUrls(ctx: PolyContext): number | undefined {
  return proxySettings(ctx.env, ctx.host).enabled ? publicHttpsPort(ctx) : undefined;
}

/** Which services run, on which ports, with which environment. Throws on cycles, unknown names, taken ports. */
export async function planUp(
  manifest: Manifest,
  names: string[],
  opts: { ctx: PolyContext; allContainers?: boolean; running?: RunningServices },
): Promise<UpPlan> {
  const { ctx } = opts;
  const selected = selectServices(manifest.services, names);
  if (selected.length === 0)
    throw new PolyError('NO_SERVICES', `${manifest.file} declares no services`, {
      hint: 'Add a [services.<name>] table with a run command.',
    });
  const untouched = new Map(
    (opts.running?.untouched ?? [])
      .filter((u) => !selected.includes(u.spec.name))
      .map((u) => [u.spec.name, u]),
  );
  // The supervisor picks a runner by spec.mode, so each spec carries where it really runs.
  const fromManifest = selected.map((name) => {
    const spec = manifest.services[name]!;
    return { ...spec, mode: effectiveMode(spec, manifest.project, { ...opts, named: names }) };
  });
  const planned = inManifestOrder(manifest, [...fromManifest, ...[...untouched.values()].map((u) => u.spec)]);
  const layout = projectLayout(manifest.root);
  // An image service's `port` is where it listens inside its container; its host port is picked freely.
  const wantedPort = (s: ServiceSpec) =>
    untouched.has(s.name)
      ? untouched.get(s.name)?.port
      : (s.image || s.build) && s.port !== undefined
        ? 'auto'
        : s.port;
  const wanted = Object.fromEntries(planned.map((s) => [s.name, wantedPort(s)]));
  const ports = await assignPorts(wanted, layout.portsFile, opts.running?.ports);
  // Database services (`use = "postgres@16"`), once their ports are known to be free: installed,
  // initialised, given their run and health.
  const { specs, databases } = await prepareDatabases(manifest, planned, ctx);
  const delta = await planEnvironmentBase(manifest, ctx);
  // Each spec already carries its effective mode (an untouched one, the mode it runs in).
  const endpoints = withPublicUrlVariables(
    withDatabaseVariables(
      manifest,
      specs,
      serviceEndpoints(
        specs.map((s) => ({ ...s, modeWritten: true })),
        ports,
        {},
      ),
    ),
    publicUrlEnv(specs, manifest, proxyPortForUrls(ctx)),
  );
  await assignRelayPorts(
    endpoints,
    ports,
    opts.running?.relays ?? {},
    nativesReachedFromContainers(manifest, specs, endpoints),
  );
  const plannedEnv = planEnvironments(
    manifest,
    delta,
    specs.filter((s) => !untouched.has(s.name)),
    ports,
    endpoints,
    ctx.env,
  );
  const envs: Record<string, Record<string, string>> = {};
  const checkEnvs: Record<string, Record<string, string>> = {};
  for (const [i, s] of specs.entries()) {
    const kept = untouched.get(s.name);
    const p = plannedEnv[s.name];
    if (kept || !p) {
      envs[s.name] = kept?.env ?? {};
      continue;
    }
    envs[s.name] = p.env;
    if (p.checkEnv) checkEnvs[s.name] = p.checkEnv;
    // The interpolated `run` is what starts (and what a later apply compares).
    if (p.run !== undefined) specs[i] = { ...s, run: p.run };
  }
  const containers = specs.some((s) => s.mode === 'container')
    ? new SupervisorContainerRunner(manifest, ctx)
    : undefined;
  const runtimeLabels: Record<string, string> = {};
  const fingerprints: Record<string, string> = {};
  // A runtime service's container is [project]'s base image with every pinned toolchain mounted.
  const containerSetup = JSON.stringify({
    project: manifest.project.name,
    baseImage: manifest.project.baseImage,
    runtimes: manifest.runtimes,
  });
  const inBaseImage = (s: ServiceSpec) => s.mode === 'container' && !s.image && !s.build;
  for (const spec of specs) {
    const kept = untouched.get(spec.name);
    const pin = spec.runtime ? manifest.runtimes[spec.runtime] : undefined;
    const label = kept
      ? kept.runtimeLabel
      : (databases[spec.name]?.label ?? (pin && `${pin.runtime}@${pin.spec}`));
    if (label) runtimeLabels[spec.name] = label;
    const fingerprint = kept ? kept.fingerprint : inBaseImage(spec) ? containerSetup : undefined;
    if (fingerprint) fingerprints[spec.name] = fingerprint;
  }
  return {
    services: specs,
    envs,
    checkEnvs,
    ports,
    runtimeLabels,
    fingerprints,
    logDir: layout.logs,
    logRotation: logRotation(ctx.env),
    runners: serviceRunners(containers, manifest.root),
    ...(containers ? { containers } : {}),
    forwardPorts: relayPairs(endpoints),
  };
}

/**
 * Where containers reach each native service they call: a port of poly's
 * relay on the network gateway, never the service's own (which a server bound
 * on 0.0.0.0 holds on every interface). Only when some service runs in a
 * container, and only for the native services containers reach (`reached`).
 */
async function assignRelayPorts(
  endpoints: PeerEndpoint[],
  ports: Readonly<Record<string, number>>,
  kept: Readonly<Record<number, number>>,
  reached: ReadonlySet<string>,
): Promise<void> {
  if (reached.size === 0) return;
  const taken = new Set(Object.values(ports));
  for (const e of endpoints) {
    if (e.mode !== 'native' || !reached.has(e.name)) continue;
    let relay = kept[e.hostPort];
    while (relay === undefined || taken.has(relay)) relay = await pickFreePort();
    taken.add(relay);
    e.relayPort = relay;
  }
}

function relayPairs(endpoints: readonly PeerEndpoint[]): RelayPort[] {
  return endpoints.flatMap((e) =>
    e.mode === 'native' && e.relayPort !== undefined ? [{ listen: e.relayPort, target: e.hostPort }] : [],
  );
}

/** Manifest order first; services poly.toml no longer has (still running, untouched) after them. */
function inManifestOrder(manifest: Manifest, specs: ServiceSpec[]): ServiceSpec[] {
  const order = Object.keys(manifest.services);
  const rank = (name: string) => {
    const i = order.indexOf(name);
    return i === -1 ? order.length : i;
  };
  return [...specs].sort((a, b) => rank(a.name) - rank(b.name));
}
