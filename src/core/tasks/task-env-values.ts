import { resolveDefinitions } from '../env/service-env/resolve.js';
import type { EnvDefinition } from '../env/service-env/types.js';
import { manifestSite } from '../env/service-env/written.js';
import type { Manifest, TaskSpec } from '../manifest/types.js';

/** Where a task's table is in poly.toml: ["tasks", "gen"] or ["services", "api", "tasks", "test"]. */
export function taskPath(task: Pick<TaskSpec, 'name' | 'service'>): string[] {
  return task.service ? ['services', task.service, 'tasks', task.name] : ['tasks', task.name];
}

/** A task's own env, as definitions the user wrote (interpolated, with their place in poly.toml). */
export function taskEnvDefinitions(
  manifest: Pick<Manifest, 'sites'>,
  task: Pick<TaskSpec, 'name' | 'service' | 'env'>,
): EnvDefinition[] {
  const path = [...taskPath(task), 'env'];
  return Object.entries(task.env).map(([name, value]) => ({
    name,
    value,
    source: 'task',
    template: true,
    site: manifestSite(manifest.sites, [...path, name], `${path.join('.')}.${name}`, value),
  }));
}

/**
 * The task's env on top of the environment it runs in (the project's or its
 * service's, through the service-env pipeline), interpolated as a service's
 * env is: `${NAME}` and `${NAME:-default}` read that environment (in its own
 * definition a name means the value beneath, so `PATH = "${PATH}:bin"`
 * extends), `$$` is a `$`; an unknown name without a default is an error
 * naming poly.toml:line:column.
 */
export function withTaskEnv(
  manifest: Pick<Manifest, 'sites'>,
  task: Pick<TaskSpec, 'name' | 'service' | 'env'>,
  beneath: Readonly<Record<string, string>>,
): Record<string, string> {
  if (Object.keys(task.env).length === 0) return { ...beneath };
  const defs: EnvDefinition[] = Object.entries(beneath).map(([name, value]) => ({
    name,
    value,
    source: 'host',
    template: false,
  }));
  return resolveDefinitions([...defs, ...taskEnvDefinitions(manifest, task)]).env;
}

/**
 * What poly.toml alone tells about tasks' env values, at load time: their
 * syntax and reference cycles among them. Unknown names are only known once
 * the environment beneath is (when the task runs).
 */
export function checkTaskEnvValues(manifest: Pick<Manifest, 'sites' | 'tasks'>): void {
  for (const task of Object.values(manifest.tasks ?? {}))
    resolveDefinitions(taskEnvDefinitions(manifest, task), { onUnset: () => {} });
}
