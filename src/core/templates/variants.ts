import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_USAGE, PolyError } from '../errors.js';
import type { TemplateSpec, TemplateVariant } from './types.js';

/** A template's variants live in `with/<choice>/`, an overlay merged over the base tree. */
export const VARIANT_DIR = 'with';

/**
 * What each `--with` choice adds to the project: the database service it needs
 * (`use`) and the variable the variant's code reads its connection string from.
 */
const VARIANT_DATABASES: Record<string, { use: string; family: string; variable: string }> = {
  postgres: { use: 'postgres@16', family: 'postgres', variable: 'DATABASE_URL' },
};

const VARIANT_KEYS = new Set(['description', 'install', 'test', 'endpoint']);

/** `[with.<choice>]` tables of template.toml, each backed by its `with/<choice>/` overlay. */
export function parseVariants(
  value: unknown,
  file: string,
  dir: string,
  invalid: (file: string, message: string) => PolyError,
): Record<string, TemplateVariant> {
  if (value === undefined) return {};
  if (!isTable(value)) throw invalid(file, '[with] must be a table of [with.<choice>] tables');
  const out: Record<string, TemplateVariant> = {};
  for (const [choice, raw] of Object.entries(value)) {
    const database = VARIANT_DATABASES[choice];
    if (!database)
      throw invalid(
        file,
        `[with.${choice}]: poly knows no "${choice}" (known: ${Object.keys(VARIANT_DATABASES).join(', ')})`,
      );
    if (!isTable(raw)) throw invalid(file, `[with.${choice}] must be a table`);
    for (const key of Object.keys(raw))
      if (!VARIANT_KEYS.has(key)) throw invalid(file, `[with.${choice}]: unknown key "${key}"`);
    const overlay = join(dir, VARIANT_DIR, choice);
    if (!existsSync(overlay) || !lstatSync(overlay).isDirectory())
      throw invalid(file, `[with.${choice}] needs its overlay folder ${VARIANT_DIR}/${choice}/`);
    if (typeof raw.description !== 'string' || raw.description === '')
      throw invalid(file, `[with.${choice}].description must be a non-empty string`);
    const variant: TemplateVariant = {
      name: choice,
      description: raw.description,
      dir: overlay,
      use: database.use,
      family: database.family,
      variable: database.variable,
    };
    if (raw.test !== undefined) variant.test = nonEmpty(raw.test, `[with.${choice}].test`, file, invalid);
    if (raw.endpoint !== undefined)
      variant.endpoint = nonEmpty(raw.endpoint, `[with.${choice}].endpoint`, file, invalid);
    if (raw.install !== undefined) {
      const ok =
        Array.isArray(raw.install) &&
        raw.install.every((c) => Array.isArray(c) && c.length > 0 && c.every((a) => typeof a === 'string'));
      if (!ok) throw invalid(file, `[with.${choice}].install must be an array of argument arrays`);
      variant.install = raw.install as string[][];
    }
    out[choice] = variant;
  }
  return out;
}

/** The variant `--with <choice>` names; a choice the template lacks is a usage error naming the ones it has. */
export function selectVariant(
  template: TemplateSpec,
  choice: string | undefined,
): TemplateVariant | undefined {
  if (choice === undefined) return undefined;
  const variant = template.variants[choice];
  if (variant) return variant;
  const choices = Object.keys(template.variants);
  throw new PolyError(
    'UNKNOWN_VARIANT',
    `template ${template.name} has no variant "${choice}"${
      choices.length ? `; --with takes ${choices.map((c) => `"${c}"`).join(', ')}` : ' (it has none)'
    }`,
    {
      hint: choices.length
        ? `Nothing was written. Run poly new ${template.name} <name> --with ${choices[0]}, or see poly templates.`
        : 'Nothing was written. poly templates lists each template with its --with choices.',
      exitCode: EXIT_USAGE,
    },
  );
}

/** The template as the variant makes it: its overlay, and its own test, install and endpoint where it has them. */
export function applyVariant(template: TemplateSpec, variant: TemplateVariant | undefined): TemplateSpec {
  if (!variant) return template;
  return {
    ...template,
    test: variant.test ?? template.test,
    install: variant.install ?? template.install,
    ...((variant.endpoint ?? template.endpoint) ? { endpoint: variant.endpoint ?? template.endpoint } : {}),
    overlay: variant.dir,
  };
}

function nonEmpty(
  value: unknown,
  key: string,
  file: string,
  invalid: (file: string, message: string) => PolyError,
): string {
  if (typeof value !== 'string' || value === '') throw invalid(file, `${key} must be a non-empty string`);
  return value;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
