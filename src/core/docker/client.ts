import type Dockerode from 'dockerode';
import type { Host } from '../context.js';
import { type DockerEndpoint, dockerEndpoint, dockerUnreachable } from './endpoint.js';

/**
 * A connected Engine API client. The rest of src/core/docker takes one of
 * these; nothing outside src/core/docker sees dockerode's types.
 */
export interface DockerClient {
  /** dockerode itself: only for the modules in src/core/docker. */
  api: Dockerode;
  endpoint: DockerEndpoint;
}

export interface EngineVersion {
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
}

const PING_TIMEOUT_MS = 5000;

/**
 * Connects to the engine DOCKER_HOST names (the default socket otherwise) and
 * pings it, so an absent engine fails here with a PolyError that says which
 * address was tried and how to start it. dockerode loads only now.
 */
export async function connectDocker(env: NodeJS.ProcessEnv): Promise<DockerClient> {
  const endpoint = dockerEndpoint(env);
  const { default: Docker } = await import('dockerode');
  const api =
    endpoint.kind === 'socket'
      ? new Docker({ socketPath: endpoint.socketPath })
      : new Docker({
          protocol: endpoint.protocol,
          host: endpoint.host,
          port: endpoint.port,
          ...(endpoint.username ? { username: endpoint.username } : {}),
          ...(endpoint.tls ?? {}),
        });
  const client = { api, endpoint };
  await pingDocker(client);
  return client;
}

export async function pingDocker(client: DockerClient): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${PING_TIMEOUT_MS / 1000}s`)),
      PING_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([client.api.ping(), timeout]);
  } catch (cause) {
    throw dockerUnreachable(client.endpoint, cause);
  } finally {
    clearTimeout(timer);
  }
}

export async function engineVersion(client: DockerClient): Promise<EngineVersion> {
  const v = await client.api.version();
  return { version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch };
}

/** The engine's status code on an API error (404 for "no such …"), if any. */
export function statusCodeOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The engine's own message on an API error, without dockerode's "(HTTP code …)" prefix. */
export function engineMessage(err: unknown): string {
  const json = (err as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Whether the engine runs on this Linux machine itself (its bridge gateways
 * are host addresses poly can listen on), as opposed to Docker Desktop's VM,
 * a remote engine or Podman (whose host-gateway reaches the host on its own).
 * `host`: the machine poly runs on.
 */
export async function isLocalLinuxEngine(client: DockerClient, host: Host): Promise<boolean> {
  if (client.endpoint.kind !== 'socket' || host.os !== 'linux') return false;
  const v = (await client.api.version()) as {
    Os?: string;
    Platform?: { Name?: string };
    Components?: { Name?: string }[];
  };
  if (v.Os !== 'linux' || /desktop/i.test(v.Platform?.Name ?? '')) return false;
  return !(v.Components ?? []).some((c) => /podman/i.test(c.Name ?? ''));
}
