import { peerEnv, type ServiceEndpoint } from '../core/docker/service-urls.js';
import type { Manifest, ServiceSpec } from '../core/manifest/types.js';
import { serviceEnvironment } from './up-env.js';

/**
 * THE seam between export and the service-environment pipeline: one
 * service's environment as a container on the exported network sees it.
 * [env], the service's own env, PORT (its port inside the container), then
 * `<PEER>_URL/_HOST/_PORT` resolved to `<peer>:<port>` on that network.
 * The host's own environment (PATH, toolchain dirs) stays out: an image
 * carries its toolchain. `service.name` is its exported name, the one
 * `endpoints` (every service with a port, itself included) use. Pure.
 */
export function exportedServiceEnvironment(
  manifest: Pick<Manifest, 'env'>,
  service: Pick<ServiceSpec, 'name' | 'env'>,
  endpoints: readonly ServiceEndpoint[],
): Record<string, string> {
  const ports = Object.fromEntries(endpoints.map((p) => [p.name, p.containerPort ?? p.hostPort]));
  return {
    ...serviceEnvironment(manifest.env, service, ports),
    ...peerEnv(endpoints, 'container', service.name),
  };
}
