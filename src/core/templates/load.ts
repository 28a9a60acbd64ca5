import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { PolyError } from '../errors.js';
import { isRuntimeName } from '../manifest/types.js';
import { parseDuration } from '../manifest/validate-service.js';
import { semver } from '../versions/semver.cjs';
import type { OptionKind, Rename, Substitution, TemplateOption, TemplateSpec } from './types.js';
import { parseVariants } from './variants.js';

export const TEMPLATE_FILE = 'template.toml';

const TOP_KEYS = new Set([
  'name',
  'description',
  'runtime',
  'versions',
  'pin',
  'run',
  'test',
  'health',
  'endpoint',
  'start_period',
  'install',
  'options',
  'substitute',
  'rename',
  'tasks',
  'with',
]);
const OPTION_KINDS: OptionKind[] = ['name', 'port', 'string', 'java-package', 'go-module'];

/** Reads and validates `<dir>/template.toml`. */
export function loadTemplate(dir: string): TemplateSpec {
  const file = join(dir, TEMPLATE_FILE);
  if (!existsSync(file)) {
    throw new PolyError('TEMPLATE_NOT_FOUND', `${dir} has no ${TEMPLATE_FILE}`, {
      hint: 'A template is a folder with a template.toml beside its files (see templates/README.md).',
    });
  }
  let data: Record<string, unknown>;
  try {
    data = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      throw invalid(file, `${err.line}:${err.column}: ${err.message.split('\n')[0]}`);
    }
    throw err;
  }
  return validateTemplate(data, file, dir);
}

/** The built-in templates: every folder of `root` holding a template.toml, by name. */
export function listTemplateDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, TEMPLATE_FILE)))
    .map((entry) => join(root, entry.name))
    .sort();
}

export function validateTemplate(data: Record<string, unknown>, file: string, dir: string): TemplateSpec {
  for (const key of Object.keys(data)) {
    if (!TOP_KEYS.has(key)) throw invalid(file, `unknown key "${key}"`);
  }
  const runtime = str(data, 'runtime', file);
  if (!isRuntimeName(runtime)) throw invalid(file, `runtime "${runtime}" is not one of poly's runtimes`);
  const versions = str(data, 'versions', file);
  if (!isSemverRange(versions)) throw invalid(file, `versions "${versions}" is not a semver range`);
  const health = str(data, 'health', file);
  if (!health.startsWith('/')) throw invalid(file, 'health must be an HTTP path starting with "/"');
  const spec: TemplateSpec = {
    name: str(data, 'name', file),
    description: str(data, 'description', file),
    runtime,
    versions,
    pin: str(data, 'pin', file),
    run: str(data, 'run', file),
    test: str(data, 'test', file),
    health,
    install: commands(data.install, file),
    options: options(data.options, file),
    substitutions: substitutions(data.substitute, file),
    renames: renames(data.rename, file),
    tasks: tasks(data.tasks, file),
    dir,
    variants: parseVariants(data.with, file, dir, invalid),
  };
  if (data.endpoint !== undefined) spec.endpoint = str(data, 'endpoint', file);
  if (data.start_period !== undefined) {
    const period = str(data, 'start_period', file);
    // Written into poly.toml as health.start_period: the manifest's own duration syntax.
    if (parseDuration(period) === undefined)
      throw invalid(file, `start_period must be a duration like "30s" or "5m", got "${period}"`);
    spec.startPeriod = period;
  }
  return spec;
}

/**
 * One comparator with a plain version (">=1.89", "^3.12", "20") is a range on its face; anything
 * else asks semver. Every built-in template's range is of the first kind, so `poly templates`
 * does not load semver (its regexes are a fifth of the listing's start-up).
 */
const PLAIN_COMPARATOR = /^(?:[<>]=?|[~^=])?(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*)){0,2}$/;
const isSemverRange = (range: string) => PLAIN_COMPARATOR.test(range) || semver().validRange(range) !== null;

/** `[tasks]`: more service tasks beside `test`, each a command line (build = "cargo build"). */
function tasks(value: unknown, file: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(file, 'tasks must be a table of task name = "command"');
  const out: Record<string, string> = {};
  for (const [name, command] of Object.entries(value)) {
    if (!/^[a-z][a-z0-9_-]*$/.test(name) || name === 'test')
      throw invalid(
        file,
        `task "${name}" must be a lowercase name other than "test" (the test key is the test task)`,
      );
    if (typeof command !== 'string' || command.trim() === '')
      throw invalid(file, `tasks.${name} must be a command string`);
    out[name] = command;
  }
  return out;
}

function options(value: unknown, file: string): TemplateOption[] {
  const table = (value ?? {}) as Record<string, unknown>;
  if (!isTable(table)) throw invalid(file, '[options] must be a table');
  const out: TemplateOption[] = [];
  for (const [key, raw] of Object.entries(table)) {
    if (!/^[a-z][a-z0-9_]*$/.test(key)) throw invalid(file, `option "${key}" must be a lowercase identifier`);
    if (!isTable(raw)) throw invalid(file, `[options.${key}] must be a table`);
    const kind = (raw.kind ?? (key === 'name' ? 'name' : key === 'port' ? 'port' : 'string')) as OptionKind;
    if (!OPTION_KINDS.includes(kind)) throw invalid(file, `options.${key}.kind "${kind}" is unknown`);
    const fallback = raw.default;
    if (kind === 'port' ? !Number.isInteger(fallback) : typeof fallback !== 'string') {
      throw invalid(file, `options.${key}.default must be ${kind === 'port' ? 'an integer' : 'a string'}`);
    }
    out.push({
      key,
      kind,
      description: typeof raw.description === 'string' ? raw.description : '',
      default: fallback as string | number,
    });
  }
  for (const required of ['name', 'port']) {
    if (!out.some((o) => o.key === required)) throw invalid(file, `[options.${required}] is required`);
  }
  return out;
}

function substitutions(value: unknown, file: string): Substitution[] {
  return arrayOfTables(value, 'substitute', file).map((entry, i) => {
    const files = entry.files;
    if (!Array.isArray(files) || !files.every((f) => typeof f === 'string')) {
      throw invalid(file, `substitute[${i}].files must be an array of glob strings`);
    }
    const replace = entry.replace;
    if (!isTable(replace) || !Object.values(replace).every((v) => typeof v === 'string')) {
      throw invalid(file, `substitute[${i}].replace must be a table of strings`);
    }
    if (Object.keys(replace).some((k) => k.length === 0)) {
      throw invalid(file, `substitute[${i}].replace has an empty key`);
    }
    return { files: files as string[], replace: replace as Record<string, string> };
  });
}

function renames(value: unknown, file: string): Rename[] {
  return arrayOfTables(value, 'rename', file).map((entry, i) => {
    if (typeof entry.from !== 'string' || typeof entry.to !== 'string') {
      throw invalid(file, `rename[${i}] needs string "from" and "to"`);
    }
    return { from: entry.from.replace(/\/+$/, ''), to: entry.to.replace(/\/+$/, '') };
  });
}

function commands(value: unknown, file: string): string[][] {
  if (value === undefined) return [];
  const ok =
    Array.isArray(value) &&
    value.every((c) => Array.isArray(c) && c.length > 0 && c.every((a) => typeof a === 'string'));
  if (!ok) throw invalid(file, 'install must be an array of argument arrays, e.g. [["npm", "install"]]');
  return value as string[][];
}

function arrayOfTables(value: unknown, key: string, file: string): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isTable)) throw invalid(file, `[[${key}]] must be tables`);
  return value as Record<string, unknown>[];
}

function str(data: Record<string, unknown>, key: string, file: string): string {
  const value = data[key];
  if (typeof value !== 'string' || value.length === 0)
    throw invalid(file, `"${key}" must be a non-empty string`);
  return value;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(file: string, message: string): PolyError {
  return new PolyError('TEMPLATE_INVALID', `${file}: ${message}`, {
    hint: 'See templates/README.md for the template.toml format.',
  });
}
