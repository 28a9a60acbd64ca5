import type { Manifest } from './types.js';
import { type ValueSites, valueStart } from './value-sites.js';

/** Where each value that may be interpolated starts: [env], every service's env and run, every task's env. */
export function collectValueSites(
  manifest: Pick<Manifest, 'env' | 'services' | 'tasks'>,
  source: string,
  display: string,
): ValueSites {
  const values: ValueSites['values'] = {};
  const add = (path: string[], value: string) => {
    // Only values with a reference can fail; the others need no position.
    if (value.includes('$')) values[path.join('.')] = valueStart(source, path);
  };
  for (const [name, value] of Object.entries(manifest.env)) add(['env', name], value);
  for (const spec of Object.values(manifest.services)) {
    for (const [name, value] of Object.entries(spec.env)) add(['services', spec.name, 'env', name], value);
    if (spec.run !== undefined) add(['services', spec.name, 'run'], spec.run);
  }
  for (const task of Object.values(manifest.tasks ?? {})) {
    const path = task.service ? ['services', task.service, 'tasks', task.name] : ['tasks', task.name];
    for (const [name, value] of Object.entries(task.env)) add([...path, 'env', name], value);
  }
  return { display, values };
}
