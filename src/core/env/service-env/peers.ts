import type { Side } from './types.js';

/** The host name containers use for the host; poly maps it to the project network's gateway. */
export const HOST_ALIAS = 'host.docker.internal';

/**
 * How one service is reached, from either side. This is the seam for
 * features that point services at each other: a database recipe adds
 * `_USER`, `_PASSWORD`, `_DATABASE` and a DSN `_URL` through `variables`,
 * the proxy a `_PUBLIC_URL`, each computed from the address of the side
 * that reads it.
 */
export interface PeerEndpoint {
  name: string;
  mode: Side;
  /** The port on the host's 127.0.0.1 (a native service's port, or a container's published port). */
  hostPort: number;
  /** The port inside its container (container services only; default hostPort). */
  containerPort?: number;
  /**
   * Where containers reach a native service: poly's relay on the network
   * gateway listens on this port (never the service's own, which the
   * service may bind on every interface). Default hostPort.
   */
  relayPort?: number;
  /**
   * More `<NAME>_<SUFFIX>` variables, from the address the reading side
   * uses; they win over poly's (a DSN replaces the http `_URL`). Pure.
   */
  variables?: (address: PeerAddress) => Record<string, string>;
}

/** Where one side reaches a peer. */
export interface PeerAddress {
  host: string;
  port: number;
  side: Side;
}

/** "my-api" -> "MY_API": the one prefix of every variable that points at a service. */
export function serviceEnvName(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Every variable name poly injects for `service` by default: `<NAME>_URL`, `_HOST`, `_PORT`, `_ADDR`. Pure. */
export function peerVariables(service: string): string[] {
  const prefix = serviceEnvName(service);
  return [`${prefix}_URL`, `${prefix}_HOST`, `${prefix}_PORT`, `${prefix}_ADDR`];
}

/** Where a service on `side` reaches `target`. Pure. */
export function peerAddress(target: PeerEndpoint, side: Side): PeerAddress {
  if (side === 'native') return { host: '127.0.0.1', port: target.hostPort, side };
  if (target.mode === 'container')
    return { host: target.name, port: target.containerPort ?? target.hostPort, side };
  return { host: HOST_ALIAS, port: target.relayPort ?? target.hostPort, side };
}

/** The variables of one peer as `side` sees them: URL, HOST, PORT, ADDR, then the endpoint's own. Pure. */
export function peerEndpointEnv(target: PeerEndpoint, side: Side): Record<string, string> {
  const address = peerAddress(target, side);
  const prefix = serviceEnvName(target.name);
  const env: Record<string, string> = {
    [`${prefix}_URL`]: `http://${address.host}:${address.port}`,
    [`${prefix}_HOST`]: address.host,
    [`${prefix}_PORT`]: String(address.port),
    [`${prefix}_ADDR`]: `${address.host}:${address.port}`,
  };
  for (const [suffix, value] of Object.entries(target.variables?.(address) ?? {}))
    env[`${prefix}_${suffix}`] = value;
  return env;
}

/**
 * Every service's variables as a service on `side` sees them, its own
 * included (so one `[env] CATALOG_ADDR = "${CATALOG_HOST}:${CATALOG_PORT}"`
 * holds for every service, catalog too). `skip` leaves one out. Pure.
 */
export function peerEnv(peers: readonly PeerEndpoint[], side: Side, skip?: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const peer of peers) if (peer.name !== skip) Object.assign(env, peerEndpointEnv(peer, side));
  return env;
}
