import { EXIT_USAGE, PolyError } from '../errors.js';
import { assertServiceName } from './names.js';
import type { OptionValues, TemplateOption, TemplateSpec } from './types.js';

/** How an option value is written in one convention: {{name.snake}}, {{package.path}}. */
const TRANSFORMS: Record<string, (value: string) => string> = {
  kebab: (v) => words(v).join('-'),
  snake: (v) => words(v).join('_'),
  upper: (v) => words(v).join('_').toUpperCase(),
  flat: (v) => words(v).join(''),
  pascal: (v) => words(v).map(capitalize).join(''),
  camel: (v) => {
    const pascal = words(v).map(capitalize).join('');
    return pascal.charAt(0).toLowerCase() + pascal.slice(1);
  },
  /** Java packages to folders: com.example.api -> com/example/api. */
  path: (v) => v.split('.').join('/'),
};

const EXPRESSION = /\{\{\s*([a-z][a-z0-9_]*)(?:\.([a-z]+))?\s*\}\}/g;

export interface OptionInput {
  name: string;
  port: number;
  /** --set key=value for the template's other options. */
  set?: Record<string, string>;
}

/** Every option's value: the name and port given, then the rest from --set or their defaults. */
export function resolveOptions(template: TemplateSpec, input: OptionInput): OptionValues {
  assertServiceName(input.name, template.runtime);
  const values: OptionValues = { name: input.name, port: String(input.port) };
  const set = input.set ?? {};
  const known = new Set(template.options.map((o) => o.key));
  for (const key of Object.keys(set)) {
    if (key === 'name' || key === 'port') {
      throw usage(`set ${key} with the ${key === 'name' ? '<name> argument' : '--port flag'}, not --set`);
    }
    if (!known.has(key)) {
      const others = template.options.map((o) => o.key).filter((k) => k !== 'name' && k !== 'port');
      throw usage(
        `template ${template.name} has no option "${key}"`,
        others.length ? `Its options: ${others.join(', ')}.` : 'It has no options besides name and port.',
      );
    }
  }
  for (const option of template.options) {
    if (option.key === 'name' || option.key === 'port') continue;
    const value = set[option.key] ?? renderExpression(String(option.default), values);
    checkOption(option, value);
    values[option.key] = value;
  }
  return values;
}

/** Replaces each {{key}} or {{key.transform}} in `text` with the rendered value. */
export function renderExpression(text: string, values: OptionValues): string {
  return text.replace(EXPRESSION, (whole, key: string, transform: string | undefined) => {
    const value = values[key];
    if (value === undefined) throw new PolyError('TEMPLATE_INVALID', `${whole}: no option "${key}"`);
    if (!transform) return value;
    const apply = TRANSFORMS[transform];
    if (!apply) {
      throw new PolyError('TEMPLATE_INVALID', `${whole}: unknown form "${transform}"`, {
        hint: `Forms: ${Object.keys(TRANSFORMS).join(', ')}.`,
      });
    }
    return apply(value);
  });
}

/**
 * Replaces every literal key of `replace` in one pass, longest key first, so
 * "com.example.hello" wins over "hello" and a replaced value is never replaced again.
 */
export function replaceLiterals(text: string, replace: Record<string, string>): string {
  const keys = Object.keys(replace).sort((a, b) => b.length - a.length);
  if (keys.length === 0) return text;
  const pattern = new RegExp(keys.map(escapeRegExp).join('|'), 'g');
  return text.replace(pattern, (found) => replace[found] ?? found);
}

const JAVA_KEYWORDS = new Set(
  'abstract assert boolean break byte case catch char class const continue default do double else enum extends false final finally float for goto if implements import instanceof int interface long native new null package private protected public return short static strictfp super switch synchronized this throw throws transient true try void volatile while _'.split(
    ' ',
  ),
);

function checkOption(option: TemplateOption, value: string): void {
  if (option.kind === 'java-package') {
    const bad = value
      .split('.')
      .find((segment) => !/^[a-z_][a-z0-9_]*$/.test(segment) || JAVA_KEYWORDS.has(segment));
    if (bad !== undefined) {
      throw usage(
        `"${value}" is not a Java package name ("${bad}" is not a lowercase identifier or is a keyword)`,
        'Use dot-separated lowercase identifiers, e.g. com.example.orders.',
      );
    }
  } else if (option.kind === 'go-module') {
    if (!/^[a-z0-9][a-z0-9.-]*(\/[A-Za-z0-9._~-]+)*$/.test(value) || value.includes('..')) {
      throw usage(
        `"${value}" is not a Go module path`,
        'Use a path such as example.com/orders or github.com/you/orders.',
      );
    }
  } else if (value.length === 0 || /[\r\n]/.test(value)) {
    throw usage(`option ${option.key} must be a single non-empty line`);
  }
}

function words(value: string): string[] {
  return value.split(/[-_]/).filter(Boolean);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function usage(message: string, hint?: string): PolyError {
  return new PolyError('INVALID_OPTION', message, { exitCode: EXIT_USAGE, ...(hint ? { hint } : {}) });
}
