import { kubernetesFiles } from '../../core/export/kubernetes.js';
import { yamlDocuments } from '../../core/export/yaml.js';
import { checkNamespace, loadExportPlan, outputPath, writeFiles } from './write.js';

export interface ExportKubernetesOptions {
  cwd: string;
  /** The folder written. Default: k8s beside poly.toml. */
  output?: string;
  namespace?: string;
  /** The caller's environment (env_files and interpolation read it; database image overrides). */
  env: NodeJS.ProcessEnv;
}

export interface ExportKubernetesResult {
  dir: string;
  files: string[];
}

/** `poly export kubernetes`: the project as manifests plus a kustomization.yaml. */
export async function exportKubernetes(opts: ExportKubernetesOptions): Promise<ExportKubernetesResult> {
  checkNamespace(opts.namespace);
  const { manifest, plan } = loadExportPlan(opts.cwd, opts.env);
  const dir = outputPath(opts.cwd, manifest, opts.output, 'k8s');
  const header = `# Written by \`poly export kubernetes\` from ${manifest.file}: edit poly.toml and export again.\n`;
  const files = kubernetesFiles(plan, opts.namespace ? { namespace: opts.namespace } : {});
  const texts = await Promise.all(
    files.map(async (f) => ({ name: f.name, text: header + (await yamlDocuments(f.documents)) })),
  );
  return { dir, files: writeFiles(dir, texts) };
}
