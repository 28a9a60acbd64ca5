import { PolyError } from '../../core/errors.js';
import { type ExportPlan, exportName } from '../../core/export/plan.js';
import type { Manifest } from '../../core/manifest/types.js';
import { didYouMean } from '../../core/text/did-you-mean.js';

/**
 * The plan narrowed to the named services and everything they depend on
 * (as `docker compose up api` starts api's dependencies too); all of it
 * when no name is given. An unknown name is a usage error. Pure.
 */
export function selectDeployed(manifest: Manifest, plan: ExportPlan, names: readonly string[]): ExportPlan {
  if (names.length === 0) return plan;
  const byName = new Map(plan.services.map((s) => [s.name, s]));
  const wanted = new Set<string>();
  const visit = (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) visit(dep);
  };
  for (const name of names) {
    const known = manifest.services[name] ? exportName(name) : byName.has(name) ? name : undefined;
    if (!known) {
      const guess = didYouMean(name, Object.keys(manifest.services));
      throw new PolyError(
        'DEPLOY_UNKNOWN_SERVICE',
        `${manifest.file} has no service "${name}".${guess ? ` Did you mean "${guess}"?` : ''}`,
        { hint: `Services: ${Object.keys(manifest.services).join(', ')}.`, exitCode: 2 },
      );
    }
    visit(known);
  }
  return { ...plan, services: plan.services.filter((s) => wanted.has(s.name)) };
}
