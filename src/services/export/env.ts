import type { ServiceEndpoint } from '../../core/docker/service-urls.js';
import { envFileDefinitions } from '../../core/env/dotenv.js';
import { renderContainerEnv } from '../../core/env/service-env/render.js';
import { projectEnvDefinitions, serviceEnvDefinitions } from '../../core/env/service-env/written.js';
import type { Manifest, ServiceSpec } from '../../core/manifest/types.js';

/**
 * THE seam between export and the service-environment pipeline: one
 * service's environment as a container on the exported network sees it,
 * rendered by the same container renderer `poly up` uses. env_files, [env]
 * and the service's own env (interpolated, as `poly up` does), PORT (its
 * port inside the container), HOST, then `<PEER>_URL/_HOST/_PORT/_ADDR`
 * resolved to `<peer>:<port>` on that network (`endpoints`: every service
 * with a port, by its exported name, itself included). No toolchain and no
 * host variable goes in: an image carries its toolchain. `env` is the caller's, which
 * env_files and interpolation read.
 */
export function exportedServiceEnvironment(
  manifest: Manifest,
  spec: ServiceSpec,
  exportedName: string,
  endpoints: readonly ServiceEndpoint[],
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const own = endpoints.find((e) => e.name === exportedName);
  const port = own?.containerPort ?? own?.hostPort;
  return renderContainerEnv(
    {
      service: exportedName,
      host: env,
      toolchain: { pathPrepend: [], set: {}, unset: [] },
      written: [
        ...envFileDefinitions(manifest.project.envFiles ?? [], env, '[project]'),
        ...envFileDefinitions(spec.envFiles ?? [], env, `services.${spec.name}`),
        ...projectEnvDefinitions(manifest),
        ...serviceEnvDefinitions(manifest, spec),
      ],
      ...(port !== undefined ? { port: { native: port, container: port } } : {}),
      peers: endpoints,
    },
    { mounts: [], projectRoot: manifest.root, ownImage: true },
  ).env;
}
