import { type ExportPlan, exportName } from '../../core/export/plan.js';
import type { Manifest } from '../../core/manifest/types.js';
import { unknownService } from '../../core/manifest/unknown-service.js';

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
      throw unknownService(manifest.file, name, Object.keys(manifest.services));
    }
    visit(known);
  }
  return { ...plan, services: plan.services.filter((s) => wanted.has(s.name)) };
}
