import type { Manifest, ServiceSpec } from '../../manifest/types.js';
import { positionInValue, type ValueSites } from '../../manifest/value-sites.js';
import { resolveDefinitions } from './resolve.js';
import type { EnvDefinition, ValueSite } from './types.js';

/** A value written in poly.toml at `path`, for messages naming its line and column. */
export function manifestSite(
  sites: ValueSites | undefined,
  path: readonly string[],
  label: string,
  value: string,
): ValueSite {
  return {
    label,
    position(offset) {
      const start = sites?.values[path.join('.')];
      if (!sites || !start) return undefined;
      const at = positionInValue(start, value, offset);
      return `${sites.display}:${at.line}:${at.column}`;
    },
  };
}

/** [env], as definitions the user wrote. */
export function projectEnvDefinitions(manifest: Pick<Manifest, 'env' | 'sites'>): EnvDefinition[] {
  return Object.entries(manifest.env).map(([name, value]) => ({
    name,
    value,
    source: 'project',
    template: true,
    site: manifestSite(manifest.sites, ['env', name], `[env] ${name}`, value),
  }));
}

/** A service's own env, as definitions the user wrote. */
export function serviceEnvDefinitions(
  manifest: Pick<Manifest, 'sites'>,
  spec: Pick<ServiceSpec, 'name' | 'env'>,
): EnvDefinition[] {
  return Object.entries(spec.env).map(([name, value]) => ({
    name,
    value,
    source: 'service',
    template: true,
    site: manifestSite(
      manifest.sites,
      ['services', spec.name, 'env', name],
      `services.${spec.name}.env.${name}`,
      value,
    ),
  }));
}

/** A service's `run`, to interpolate. */
export function runTemplate(
  manifest: Pick<Manifest, 'sites'>,
  spec: Pick<ServiceSpec, 'name' | 'run'>,
): { value: string; site: ValueSite } | undefined {
  if (spec.run === undefined) return undefined;
  return {
    value: spec.run,
    site: manifestSite(manifest.sites, ['services', spec.name, 'run'], `services.${spec.name}.run`, spec.run),
  };
}

/**
 * What can be told from poly.toml alone: the syntax of every value and
 * reference cycles among the variables it defines. Unknown variables can
 * only be told once a service's whole environment is known (poly up).
 */
export function checkWrittenValues(manifest: Manifest): void {
  const project = projectEnvDefinitions(manifest);
  resolveDefinitions(project, { onUnset: () => {} });
  for (const spec of Object.values(manifest.services)) {
    const resolved = resolveDefinitions([...project, ...serviceEnvDefinitions(manifest, spec)], {
      onUnset: () => {},
    });
    const run = runTemplate(manifest, spec);
    if (run) resolved.interpolate(run.value, run.site);
  }
}
