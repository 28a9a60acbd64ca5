import { serviceEnvName } from '../core/docker/service-urls.js';
import type { Manifest, ServiceSpec } from '../core/manifest/types.js';
import { environmentForProject } from './project-env.js';

/**
 * The environment every service of the project starts from: missing pins
 * installed, then this process's environment with the project's on top
 * (pinned runtimes first on PATH, JAVA_HOME, GOROOT, the venv, [env]).
 */
export async function projectEnvironment(manifest: Manifest): Promise<Record<string, string>> {
  return environmentForProject(manifest.root);
}

export { serviceEnvName };

/**
 * One service's complete environment: the project's, then its own `env`,
 * then PORT, then `<NAME>_URL` and `<NAME>_PORT` for every other service
 * with a port, so services find each other without hard-coded ports (up.ts
 * then sets them, with `<NAME>_HOST`, as seen from the service's side: peerEnv).
 */
export function serviceEnvironment(
  base: Record<string, string>,
  spec: Pick<ServiceSpec, 'name' | 'env'>,
  ports: Record<string, number>,
): Record<string, string> {
  const env: Record<string, string> = { ...base, ...spec.env };
  const own = ports[spec.name];
  if (own !== undefined) env.PORT = String(own);
  for (const [name, port] of Object.entries(ports)) {
    if (name === spec.name) continue;
    const prefix = serviceEnvName(name);
    env[`${prefix}_URL`] = `http://127.0.0.1:${port}`;
    env[`${prefix}_PORT`] = String(port);
  }
  return env;
}
