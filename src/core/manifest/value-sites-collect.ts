import type { Manifest } from './types.js';
import { type ValueSites, valueStart } from './value-sites.js';

/** Where each value that may be interpolated starts: [env], every service's env and run. */
export function collectValueSites(
  manifest: Pick<Manifest, 'env' | 'services'>,
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
  return { display, values };
}
