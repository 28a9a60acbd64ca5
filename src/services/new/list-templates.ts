import { builtinTemplates } from '../../core/templates/source.js';
import type { TemplateSpec } from '../../core/templates/types.js';

export interface TemplateSummary {
  name: string;
  runtime: string;
  versions: string;
  description: string;
  run: string;
  test: string;
  options: { key: string; description: string; default: string | number }[];
  /** `--with` choices: each variant, what it is and the database service it adds. */
  with: { name: string; description: string; use: string }[];
}

/** `poly templates`: the built-in templates and their options. */
export function listTemplates(builtinRoot?: string): TemplateSummary[] {
  return builtinTemplates(builtinRoot).map(summarize);
}

function summarize(t: TemplateSpec): TemplateSummary {
  return {
    name: t.name,
    runtime: t.runtime,
    versions: t.versions,
    description: t.description,
    run: t.run,
    test: t.test,
    options: t.options.map((o) => ({ key: o.key, description: o.description, default: o.default })),
    with: Object.values(t.variants).map((v) => ({ name: v.name, description: v.description, use: v.use })),
  };
}
