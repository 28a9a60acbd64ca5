/** How one service is reachable: where it runs and on which ports. */
export interface ServiceEndpoint {
  name: string;
  mode: 'native' | 'container';
  /** The port on the host's 127.0.0.1 (a native service's port, or a container's published port). */
  hostPort: number;
  /** The port inside the container (container services only; defaults to hostPort). */
  containerPort?: number;
}

/** Which side a service runs on, which decides how it reaches the others. */
export type Side = 'native' | 'container';

/** The host name containers use for the host; poly maps it to the project network's gateway. */
export const HOST_ALIAS = 'host.docker.internal';

/** "my-api" -> "MY_API": the one prefix of every variable that points at a service. */
export function serviceEnvName(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** "api-gw" -> "API_GW_URL". */
export function urlVariable(service: string): string {
  return `${serviceEnvName(service)}_URL`;
}

/** Every variable poly injects into the other services for `service`: `<NAME>_URL`, `_HOST`, `_PORT`. Pure. */
export function peerVariables(service: string): string[] {
  const prefix = serviceEnvName(service);
  return [`${prefix}_URL`, `${prefix}_HOST`, `${prefix}_PORT`];
}

/** The host name a service on `side` uses to reach `target`. Pure. */
export function serviceHost(target: ServiceEndpoint, side: Side): string {
  if (side === 'native') return '127.0.0.1';
  return target.mode === 'container' ? target.name : HOST_ALIAS;
}

/** The port a service on `side` uses to reach `target`: inside the network, a container's own port. Pure. */
export function servicePort(target: ServiceEndpoint, side: Side): number {
  return side === 'container' && target.mode === 'container'
    ? (target.containerPort ?? target.hostPort)
    : target.hostPort;
}

/** The URL `from` (a side) uses to reach `target`. Pure. */
export function serviceUrl(target: ServiceEndpoint, side: Side): string {
  return `http://${serviceHost(target, side)}:${servicePort(target, side)}`;
}

/**
 * The <NAME>_URL variables injected into a service running on `side`: a
 * native process reaches everything on 127.0.0.1 (containers through their
 * published ports); a container reaches other containers by service name on
 * the project network and native services through the host alias. Pure.
 */
export function serviceUrlEnv(services: readonly ServiceEndpoint[], side: Side): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of services) env[urlVariable(s.name)] = serviceUrl(s, side);
  return env;
}

/**
 * Everything that points a service on `side` at the others: `<NAME>_URL`,
 * `<NAME>_HOST` and `<NAME>_PORT`, each right from that side (a container
 * reaches a postgres image at db:5432, a native process at 127.0.0.1:<published>). Pure.
 */
export function peerEnv(
  services: readonly ServiceEndpoint[],
  side: Side,
  self: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of services) {
    if (s.name === self) continue;
    const prefix = serviceEnvName(s.name);
    env[`${prefix}_URL`] = serviceUrl(s, side);
    env[`${prefix}_HOST`] = serviceHost(s, side);
    env[`${prefix}_PORT`] = String(servicePort(s, side));
  }
  return env;
}

/** The native services' ports that containers need forwarded from the gateway to 127.0.0.1. */
export function portsToForward(services: readonly ServiceEndpoint[]): number[] {
  const hasContainer = services.some((s) => s.mode === 'container');
  return hasContainer ? services.filter((s) => s.mode === 'native').map((s) => s.hostPort) : [];
}

/**
 * Where a service runs: image and build services always in a container;
 * otherwise `poly up --container`, the service's own mode, then
 * `[project] mode`. (ServiceSpec.mode defaults to "native" when unset, so a
 * project-wide "container" wins over it; an explicit per-service "native"
 * would need the manifest to keep whether it was written.)
 */
export function effectiveMode(
  service: { mode: 'native' | 'container'; image?: string; build?: string },
  project: { mode?: 'native' | 'container' },
  opts: { allContainers?: boolean } = {},
): Side {
  if (service.image || service.build || opts.allContainers) return 'container';
  if (service.mode === 'container' || project.mode === 'container') return 'container';
  return 'native';
}

/**
 * The endpoints serviceUrlEnv() needs, from the services, where each runs,
 * and the host port each got. An image service's port in poly.toml is its
 * port inside the container; a runtime service listens on its host port inside too.
 */
export function serviceEndpoints(
  services: readonly {
    name: string;
    mode: 'native' | 'container';
    image?: string;
    build?: string;
    port?: number | 'auto';
  }[],
  hostPorts: Readonly<Record<string, number>>,
  project: { mode?: 'native' | 'container' },
  opts: { allContainers?: boolean } = {},
): ServiceEndpoint[] {
  const out: ServiceEndpoint[] = [];
  for (const s of services) {
    const hostPort = hostPorts[s.name];
    if (hostPort === undefined) continue; // no port, no URL
    const mode = effectiveMode(s, project, opts);
    const ownPort = (s.image || s.build) && typeof s.port === 'number' ? s.port : hostPort;
    out.push({ name: s.name, mode, hostPort, ...(mode === 'container' ? { containerPort: ownPort } : {}) });
  }
  return out;
}
