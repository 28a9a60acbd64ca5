import { join, resolve } from 'node:path';
import { PolyError } from '../../core/errors.js';
import { type ExportPlan, exportName } from '../../core/export/plan.js';
import { requireManifest } from '../../core/manifest/load.js';
import type { Manifest } from '../../core/manifest/types.js';
import { writeFileAtomic } from '../../core/store/atomic-write.js';
import { exportPlan } from './plan.js';

/** The project and its export plan, for `poly export …`; `env` is the caller's environment. */
export function loadExportPlan(
  cwd: string,
  env: NodeJS.ProcessEnv,
): { manifest: Manifest; plan: ExportPlan } {
  const manifest = requireManifest(cwd);
  return { manifest, plan: exportPlan(manifest, env) };
}

/** Writes each file atomically under `dir`; a reader never sees half a manifest. Returns the paths written. */
export function writeFiles(dir: string, files: readonly { name: string; text: string }[]): string[] {
  return files.map((f) => {
    const path = join(dir, f.name);
    writeFileAtomic(path, f.text);
    return path;
  });
}

/** `-o` relative to the folder poly was started in; the default is beside poly.toml. */
export function outputPath(
  cwd: string,
  manifest: Manifest,
  output: string | undefined,
  fallback: string,
): string {
  return output ? resolve(cwd, output) : join(manifest.root, fallback);
}

/** A Kubernetes namespace must be a DNS-1123 label. */
export function checkNamespace(namespace: string | undefined): void {
  if (namespace === undefined) return;
  if (/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) return;
  throw new PolyError('EXPORT_NAMESPACE', `--namespace "${namespace}" is not a valid Kubernetes namespace`, {
    hint: `Use lowercase letters, digits and "-", at most 63 characters, e.g. --namespace ${exportName(namespace)}.`,
    exitCode: 2,
  });
}
