import { peerEnv, serviceEndpoints } from '../core/docker/service-urls.js';
import type { Manifest, TaskSpec } from '../core/manifest/types.js';
import { projectLayout } from '../core/store/layout.js';
import { projectEnvironment, serviceEnvironment } from './up-env.js';

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
 * the task's own `env`. The project environment is computed once per run.
 */
export function taskEnvironments(manifest: Manifest): TaskEnvironment {
  let base: Promise<Record<string, string>> | undefined;
  return async (task, started) => {
    base ??= projectEnvironment(manifest);
    const project = await base;
    const spec = task.service ? manifest.services[task.service] : undefined;
    if (!spec) {
      const endpoints = serviceEndpoints(Object.values(manifest.services), started, manifest.project);
      return { ...project, ...peerEnv(endpoints, 'native', ''), ...task.env };
    }
    const ports = { ...(await knownPorts(manifest)), ...started };
    const endpoints = serviceEndpoints(Object.values(manifest.services), ports, manifest.project);
    return {
      ...serviceEnvironment(project, spec, ports),
      ...peerEnv(endpoints, 'native', spec.name),
      ...task.env,
    };
  };
}

/** Host ports as `poly up` would give them without starting anything: fixed ones, and saved "auto" ones. */
async function knownPorts(manifest: Manifest): Promise<Record<string, number>> {
  // Loaded only for service tasks: ports.ts brings execa, which a project task's start-up does without.
  const { readSavedPorts } = await import('../core/supervisor/ports.js');
  const saved = readSavedPorts(projectLayout(manifest.root).portsFile);
  const ports: Record<string, number> = {};
  for (const s of Object.values(manifest.services)) {
    const fixed = typeof s.port === 'number' && !s.image && !s.build ? s.port : undefined;
    const port = fixed ?? saved[s.name];
    if (port !== undefined) ports[s.name] = port;
  }
  return ports;
}
