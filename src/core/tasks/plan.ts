import { EXIT_USAGE, PolyError } from '../errors.js';
import type { Manifest, TaskSpec } from '../manifest/types.js';
import { unknownService } from '../manifest/unknown-service.js';
import { taskIdsFor } from '../manifest/validate-tasks.js';
import { didYouMean } from '../text/did-you-mean.js';

/**
 * What `poly run <name>` asks for: "api:test" that task; "test" the project
 * task of that name, else that task of every service that has it (only the
 * services named by --service, when given).
 */
export function requestedTasks(manifest: Manifest, name: string, services: readonly string[] = []): string[] {
  const tasks = manifest.tasks ?? {};
  const ids = new Set(Object.keys(tasks));
  for (const svc of services)
    if (!manifest.services[svc]) {
      throw unknownService(manifest.file, svc, Object.keys(manifest.services));
    }
  let found: string[];
  if (services.length > 0 && !name.includes(':'))
    found = services.map((s) => `${s}:${name}`).filter((id) => ids.has(id));
  else found = taskIdsFor(name, undefined, ids);
  if (found.length > 0) return found;
  const guess = didYouMean(name, [...ids, ...new Set(Object.values(tasks).map((t) => t.name))]);
  const where = services.length ? ` in ${services.map((s) => `services.${s}`).join(', ')}` : '';
  throw new PolyError('UNKNOWN_TASK', `no task "${name}"${where}`, {
    hint: guess
      ? `Did you mean "${guess}"? \`poly tasks\` lists every task.`
      : ids.size
        ? `\`poly tasks\` lists every task (${[...ids].join(', ')}).`
        : 'Declare one in poly.toml: [tasks.<name>] or [services.<name>.tasks].',
    exitCode: EXIT_USAGE,
  });
}

/** The requested tasks and everything they depend on, dependencies before dependents. */
export function taskClosure(tasks: Record<string, TaskSpec>, roots: readonly string[]): TaskSpec[] {
  const order: TaskSpec[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const task = tasks[id];
    if (!task) return;
    for (const dep of task.dependsOn) visit(dep);
    order.push(task);
  };
  for (const id of roots) visit(id);
  return order;
}
