import { Flags } from '@oclif/core';
import { PolyCommand } from '../../cli/base-command.js';
import { type ExportKubernetesResult, exportKubernetes } from '../../services/export/kubernetes.js';

export default class ExportKubernetes extends PolyCommand {
  static override summary = 'Write the project as Kubernetes manifests with a kustomization.yaml.';
  static override description =
    'A Deployment per service (and a Service when it has a port), a ConfigMap for [env], probes from health, init containers that wait for dependencies, and a kustomization.yaml: `kubectl apply -k <dir>` deploys it, `kubectl kustomize <dir>` renders it offline.';
  static override examples = [
    '<%= config.bin %> export kubernetes',
    '<%= config.bin %> export kubernetes -o deploy/k8s --namespace shop',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    output: Flags.string({ char: 'o', summary: 'Folder to write. Default: k8s beside poly.toml.' }),
    namespace: Flags.string({ summary: 'Namespace to create and deploy into (set in kustomization.yaml).' }),
  };

  async run(): Promise<ExportKubernetesResult> {
    const { flags } = await this.parse(ExportKubernetes);
    const result = await exportKubernetes({
      cwd: this.workdir(flags),
      ...(flags.output !== undefined ? { output: flags.output } : {}),
      ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
      env: this.context().env,
    });
    if (!this.jsonEnabled())
      process.stderr.write(`poly: wrote ${result.files.length} files to ${result.dir}\n`);
    return result;
  }
}
