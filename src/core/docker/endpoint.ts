import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolyError } from '../errors.js';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/**
 * Where the Docker Engine API answers, read from DOCKER_HOST the way the
 * docker CLI reads it. A Podman socket that speaks the Docker API is just
 * another unix socket here (DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock).
 */
export type DockerEndpoint =
  | { kind: 'socket'; socketPath: string; fromEnv: boolean }
  | {
      kind: 'tcp';
      protocol: 'http' | 'https' | 'ssh';
      host: string;
      port: number;
      username?: string;
      tls?: { ca: string; cert: string; key: string };
    };

export function dockerEndpoint(env: NodeJS.ProcessEnv): DockerEndpoint {
  const raw = env.DOCKER_HOST?.trim();
  if (!raw) return { kind: 'socket', socketPath: DEFAULT_DOCKER_SOCKET, fromEnv: false };
  if (raw.startsWith('unix://')) {
    return {
      kind: 'socket',
      socketPath: raw.slice('unix://'.length) || DEFAULT_DOCKER_SOCKET,
      fromEnv: true,
    };
  }
  if (raw.startsWith('npipe://')) {
    return {
      kind: 'socket',
      socketPath: raw.slice('npipe://'.length) || '//./pipe/docker_engine',
      fromEnv: true,
    };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badDockerHost(raw);
  }
  if (url.protocol === 'ssh:') {
    return {
      kind: 'tcp',
      protocol: 'ssh',
      host: url.hostname,
      port: Number(url.port || 22),
      ...(url.username ? { username: url.username } : {}),
    };
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badDockerHost(raw);
  const tlsVerify =
    env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0';
  const https = tlsVerify || url.protocol === 'https:';
  const endpoint: DockerEndpoint = {
    kind: 'tcp',
    protocol: https ? 'https' : 'http',
    host: url.hostname,
    port: Number(url.port || (https ? 2376 : 2375)),
  };
  if (tlsVerify) {
    const certDir = env.DOCKER_CERT_PATH || join(env.HOME || '', '.docker');
    try {
      endpoint.tls = {
        ca: readFileSync(join(certDir, 'ca.pem'), 'utf8'),
        cert: readFileSync(join(certDir, 'cert.pem'), 'utf8'),
        key: readFileSync(join(certDir, 'key.pem'), 'utf8'),
      };
    } catch (cause) {
      throw new PolyError(
        'DOCKER_TLS',
        `DOCKER_TLS_VERIFY is set but the TLS files in ${certDir} cannot be read`,
        {
          hint: 'Set DOCKER_CERT_PATH to the folder holding ca.pem, cert.pem and key.pem.',
          cause,
        },
      );
    }
  }
  return endpoint;
}

/** How a message names the endpoint: the variable when the user set one, the socket path otherwise. */
export function describeEndpoint(endpoint: DockerEndpoint): string {
  if (endpoint.kind === 'socket') {
    return endpoint.fromEnv
      ? `DOCKER_HOST=unix://${endpoint.socketPath}`
      : `the Docker socket ${endpoint.socketPath}`;
  }
  return `DOCKER_HOST=${endpoint.protocol === 'ssh' ? 'ssh' : 'tcp'}://${endpoint.host}:${endpoint.port}`;
}

export function dockerUnreachable(endpoint: DockerEndpoint, cause: unknown): PolyError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const hint =
    endpoint.kind === 'socket' && !endpoint.fromEnv
      ? 'Start the engine (`sudo systemctl start docker`, or `sudo dockerd &`, or open Docker Desktop), or set DOCKER_HOST to where it listens (Podman: `systemctl --user start podman.socket` and DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock).'
      : 'Start the engine that DOCKER_HOST points at, or unset DOCKER_HOST to use the default socket /var/run/docker.sock.';
  return new PolyError(
    'DOCKER_UNREACHABLE',
    `no Docker engine answers at ${describeEndpoint(endpoint)} (${reason})`,
    {
      hint,
      cause,
    },
  );
}

function badDockerHost(raw: string): PolyError {
  return new PolyError('DOCKER_HOST_INVALID', `DOCKER_HOST=${raw} is not an address poly understands`, {
    hint: 'Use unix:///path/to/docker.sock, tcp://host:2375 or ssh://user@host.',
    exitCode: 2,
  });
}
