import type { PolyContext } from '../../core/context.js';
import { type ServiceEndpoint, serviceEndpoints } from '../../core/docker/service-urls.js';
import { peerEnv } from '../../core/env/service-env/peers.js';
import type { EnvironmentDelta } from '../../core/env/types.js';
import type { Manifest, TaskSpec } from '../../core/manifest/types.js';
import { projectLayout } from '../../core/store/layout.js';
import { withTaskEnv } from '../../core/tasks/task-env-values.js';
import { environmentForProject } from '../env/project-env.js';
import { planEnvironmentBase, planEnvironments } from '../up/env.js';

export type TaskEnvironment = (
  task: TaskSpec,
  started: Record<string, number>,
) => Promise<Record<string, string>>;

/**
 * THE seam between tasks and the service environment (src/core/env,
 * up-env.ts): every task's environment comes from here and nowhere else.
 * A project task gets the project's environment (what `poly exec` gets); a
 * service task exactly what `poly up` gives that service (its `env`, PORT,
 * `<NAME>_URL`/`_HOST`/`_PORT` of the others). Both also get the peer
 * variables of the services this run started for them (`service:db`), then
 * the task's own `env`, interpolated on top of all that (task-env-values.ts).
 * The project environment is computed once per run.
 */
export function taskEnvironments(manifest: Manifest, ctx: PolyContext): TaskEnvironment {
  let project: Promise<Record<string, string>> | undefined;
  let delta: Promise<EnvironmentDelta> | undefined;
  return async (task, started) => {
    const spec = task.service ? manifest.services[task.service] : undefined;
    if (!spec) {
      // A project task sees only the services this run started for it.
      project ??= environmentForProject(manifest.root, { ctx });
      const peers = peerEnv(await endpointsOf(manifest, started), 'native');
      return withTaskEnv(manifest, task, { ...(await project), ...peers });
    }
    const ports = { ...(await knownPorts(manifest)), ...started };
    const endpoints = await endpointsOf(manifest, ports);
    // A service task runs on this machine, as the native rendering of the service's environment.
    delta ??= planEnvironmentBase(manifest, ctx);
    const native = { ...spec, mode: 'native' as const };
    const planned = planEnvironments(manifest, await delta, [native], ports, endpoints, ctx.env)[spec.name];
    return withTaskEnv(manifest, task, planned?.env ?? {});
  };
}

/** The endpoints of the services with a known port, database services with their connection variables. */
export async function endpointsOf(
  manifest: Manifest,
  ports: Record<string, number>,
): Promise<ServiceEndpoint[]> {
  const services = Object.values(manifest.services);
  const endpoints = serviceEndpoints(services, ports, manifest.project);
  if (!services.some((s) => s.database)) return endpoints;
  // Loaded only when the project has a database: it brings the package definitions.
  const { withDatabaseVariables } = await import('../../core/databases/prepare.js');
  return withDatabaseVariables(manifest, services, endpoints);
}

/** Host ports as `poly up` would give them without starting anything: fixed ones, and saved "auto" ones. */
export async function knownPorts(manifest: Manifest): Promise<Record<string, number>> {
  // Loaded only for service tasks: ports.ts brings execa, which a project task's start-up does without.
  const { readSavedPorts } = await import('../../core/supervisor/ports.js');
  const saved = readSavedPorts(projectLayout(manifest.root).portsFile);
  const ports: Record<string, number> = {};
  for (const s of Object.values(manifest.services)) {
    const fixed = typeof s.port === 'number' && !s.image && !s.build ? s.port : undefined;
    const port = fixed ?? saved[s.name];
    if (port !== undefined) ports[s.name] = port;
  }
  return ports;
}
