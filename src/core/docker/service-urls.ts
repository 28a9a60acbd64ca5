import type { PeerEndpoint } from '../env/service-env/peers.js';
import type { Side } from '../env/service-env/types.js';

// The variables themselves are the service-environment pipeline's (src/core/env/service-env/peers.ts).
export {
  HOST_ALIAS,
  type PeerEndpoint as ServiceEndpoint,
  peerVariables,
  serviceEnvName,
} from '../env/service-env/peers.js';
export type { Side } from '../env/service-env/types.js';

/**
 * Where a service runs: image and build services always in a container.
 * A service's own `mode` wins over `[project] mode` and over
 * `poly up --container`, unless that flag came with the service's name
 * (`poly up --container api`).
 */
export function effectiveMode(
  service: {
    name?: string;
    mode: 'native' | 'container';
    modeWritten?: boolean;
    image?: string;
    build?: string;
  },
  project: { mode?: 'native' | 'container' },
  opts: { allContainers?: boolean; named?: readonly string[] } = {},
): Side {
  if (service.image || service.build) return 'container';
  if (opts.allContainers && service.name !== undefined && opts.named?.includes(service.name))
    return 'container';
  if (service.modeWritten) return service.mode;
  if (opts.allContainers) return 'container';
  if (service.mode === 'container' || project.mode === 'container') return 'container';
  return 'native';
}

/**
 * The endpoints of the services with a port, from where each runs and the
 * host port each got. An image service's port in poly.toml is its port
 * inside the container; a runtime service listens on its host port inside too.
 */
export function serviceEndpoints(
  services: readonly {
    name: string;
    mode: 'native' | 'container';
    modeWritten?: boolean;
    image?: string;
    build?: string;
    port?: number | 'auto';
  }[],
  hostPorts: Readonly<Record<string, number>>,
  project: { mode?: 'native' | 'container' },
  opts: { allContainers?: boolean } = {},
): PeerEndpoint[] {
  const out: PeerEndpoint[] = [];
  for (const s of services) {
    const hostPort = hostPorts[s.name];
    if (hostPort === undefined) continue; // no port, no URL
    const mode = effectiveMode(s, project, opts);
    const ownPort = (s.image || s.build) && typeof s.port === 'number' ? s.port : hostPort;
    out.push({ name: s.name, mode, hostPort, ...(mode === 'container' ? { containerPort: ownPort } : {}) });
  }
  return out;
}
