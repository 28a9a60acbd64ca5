import { basename, dirname } from 'node:path';
import { composeDocument } from '../../core/export/compose.js';
import { SWARM_DEFAULTS, type SwarmOptions, swarmComposeDocument } from '../../core/export/swarm.js';
import { yamlDocuments } from '../../core/export/yaml.js';
import { loadExportPlan, outputPath, writeFiles } from './write.js';

export interface ExportComposeOptions {
  cwd: string;
  /** A file path, or "-" for stdout. Default: compose.yaml beside poly.toml. */
  output?: string;
  publishAll?: boolean;
  /** "swarm": the variant `docker stack deploy` accepts (see swarmComposeDocument). Default "compose". */
  for?: 'compose' | 'swarm';
  swarm?: Partial<SwarmOptions>;
  /** The caller's environment (env_files and interpolation read it; database image overrides). */
  env: NodeJS.ProcessEnv;
}

export interface ExportComposeResult {
  /** Where it was written; undefined when printed. */
  file?: string;
  text: string;
  services: string[];
}

/** `poly export compose`: the project as a compose-spec file. */
export async function exportCompose(opts: ExportComposeOptions): Promise<ExportComposeResult> {
  const { manifest, plan } = loadExportPlan(opts.cwd, opts.env);
  const toStdout = opts.output === '-';
  const file = outputPath(opts.cwd, manifest, toStdout ? undefined : opts.output, 'compose.yaml');
  // Build contexts are relative to the file; printed, it is taken to live beside poly.toml.
  const outputDir = toStdout ? manifest.root : dirname(file);
  const header = `# Written by \`poly export compose\` from ${manifest.file}: edit poly.toml and export again.\n`;
  const document =
    opts.for === 'swarm'
      ? swarmComposeDocument(plan, { ...SWARM_DEFAULTS, ...opts.swarm })
      : composeDocument(plan, { outputDir, publishAll: opts.publishAll ?? false });
  const text = header + (await yamlDocuments([document]));
  const services = plan.services.map((s) => s.name);
  if (toStdout) return { text, services };
  writeFiles(dirname(file), [{ name: basename(file), text }]);
  return { file, text, services };
}
