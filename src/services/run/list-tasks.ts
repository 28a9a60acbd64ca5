import { relative } from 'node:path';
import { requireManifest } from '../../core/manifest/load.js';

/** One task as `poly tasks --json` shows it. */
export interface TaskSummary {
  id: string;
  name: string;
  /** The service it belongs to; absent for a project task. */
  service?: string;
  description?: string;
  /** Its folder, relative to the project ("." for the project folder). */
  dir: string;
  run: string[];
  /** Task ids, then "service:<name>" for services it starts. */
  depends: string[];
  sources: string[];
  outputs: string[];
}

/** Every task of the project: project tasks first, then each service's, as poly.toml orders them. */
export function listTasks(cwd: string): TaskSummary[] {
  const manifest = requireManifest(cwd);
  return Object.values(manifest.tasks ?? {})
    .sort((a, b) => Number(a.service !== undefined) - Number(b.service !== undefined))
    .map((t) => ({
      id: t.id,
      name: t.name,
      ...(t.service ? { service: t.service } : {}),
      ...(t.description ? { description: t.description } : {}),
      dir: relative(manifest.root, t.dir) || '.',
      run: t.run,
      depends: [...t.dependsOn, ...t.needsServices.map((s) => `service:${s}`)],
      sources: t.sources,
      outputs: t.outputs,
    }));
}
