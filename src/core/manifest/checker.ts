import { EXIT_USAGE, PolyError } from '../errors.js';
import { didYouMean } from '../text/did-you-mean.js';
import { locateKey } from './locate.js';

/** What validation needs from the file: its text (for positions), where it lives, how to name it. */
export interface ValidationContext {
  source: string;
  file: string;
  display: string;
  root: string;
}

export type Table = Record<string, unknown>;

/** The most problems one validation reports. */
export const MAX_PROBLEMS = 20;

export const DEFAULT_HINT = 'Fix poly.toml; every key is documented in project.example.toml.';

export function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A value as the user wrote it, for "got ..." in messages. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  if (isTable(v)) return 'a table';
  return String(v);
}

export function guessSuffix(word: string, candidates: readonly string[]): string {
  const guess = didYouMean(word, candidates);
  return guess ? ` Did you mean "${guess}"?` : '';
}

/** '"a", "b" or "c"' */
export function choiceList(choices: readonly string[]): string {
  const quoted = choices.map((c) => `"${c}"`);
  return quoted.length < 2
    ? (quoted[0] ?? '')
    : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/**
 * The error helpers validation uses: every failure becomes a PolyError
 * (exit code 2) whose message starts with file:line:column of the key.
 */
export class Checker {
  /** Problems found so far by collect(); finish() reports them all at once. */
  private readonly problems: PolyError[] = [];

  constructor(readonly ctx: ValidationContext) {}

  /**
   * Runs one independent part of the validation (a section, a runtime, a service):
   * its first problem is kept and validation goes on with the next part, so one run
   * shows every broken part (up to MAX_PROBLEMS) instead of one per run.
   */
  collect<T>(part: () => T): T | undefined {
    if (this.problems.length >= MAX_PROBLEMS) return undefined;
    try {
      return part();
    } catch (err) {
      if (!(err instanceof PolyError) || err.code !== 'MANIFEST_INVALID') throw err;
      this.problems.push(err);
      return undefined;
    }
  }

  get failed(): boolean {
    return this.problems.length > 0;
  }

  /** Throws what collect() kept: one problem as it is, several as one error listing each with its hint. */
  finish(): void {
    const [first, ...rest] = this.problems;
    if (!first) return;
    if (rest.length === 0) throw first;
    const lines = this.problems.map((p, i) => `${i === 0 ? '' : 'error: '}${p.message}\n  hint: ${p.hint}`);
    const more = this.problems.length >= MAX_PROBLEMS ? ` (showing the first ${MAX_PROBLEMS})` : '';
    throw new PolyError('MANIFEST_INVALID', lines.join('\n'), {
      hint: `${this.problems.length} problems in ${this.ctx.display}${more}; fix them, then run the command again.`,
      exitCode: EXIT_USAGE,
    });
  }

  fail(path: readonly string[], message: string, hint?: string): never {
    const at = locateKey(this.ctx.source, path);
    throw new PolyError('MANIFEST_INVALID', `${this.ctx.display}:${at.line}:${at.column}: ${message}`, {
      hint: hint ?? DEFAULT_HINT,
      exitCode: EXIT_USAGE,
    });
  }

  unknownKeys(table: Table, known: readonly string[], path: readonly string[]): void {
    for (const key of Object.keys(table)) {
      if (known.includes(key)) continue;
      const where = path.length ? ` in [${path.join('.')}]` : '';
      const guess = didYouMean(key, known);
      // Each unknown key is its own problem; the rest of the table is still checked.
      this.collect(() =>
        this.fail(
          [...path, key],
          `unknown key "${key}"${where} (known: ${known.join(', ')}).${guess ? ` Did you mean "${guess}"?` : ''}`,
          guess
            ? `Rename "${key}" to "${guess}".`
            : `Remove "${key}"; project.example.toml describes every key.`,
        ),
      );
    }
  }

  /** A string that must be one of a few words; the hint names the closest one. */
  oneOf(value: unknown, choices: readonly string[], path: readonly string[], fallback?: string): string {
    if (typeof value === 'string' && choices.includes(value)) return value;
    const guess = typeof value === 'string' ? didYouMean(value, choices) : undefined;
    const key = path[path.length - 1] ?? '';
    this.fail(
      path,
      `${path.join('.')} must be ${choiceList(choices)}, got ${describeValue(value)}${guess ? `. Did you mean "${guess}"?` : ''}`,
      guess
        ? `Write ${key} = "${guess}".`
        : fallback
          ? `Write ${key} = "${fallback}" (the default), or remove the line.`
          : `Write ${key} = "${choices[0]}".`,
    );
  }

  table(value: unknown, path: readonly string[]): Table {
    if (value === undefined) return {};
    if (!isTable(value))
      this.fail(path, `${path.join('.')} must be a table, got ${describeValue(value)}`, tableHint(path));
    return value as Table;
  }

  /** A table of environment variables: names checked, numbers and booleans turned into strings. */
  envMap(value: unknown, path: readonly string[]): Record<string, string> {
    const table = this.table(value, path);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(table)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
        this.fail(
          [...path, k],
          `${path.join('.')}: "${k}" is not a valid environment variable name`,
          'Use letters, digits and _, not starting with a digit (e.g. RUST_LOG).',
        );
      if (typeof v === 'string') out[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
      else
        this.fail(
          [...path, k],
          `${path.join('.')}.${k} must be a string, got ${describeValue(v)}`,
          `Write it as a string: ${k} = "..."`,
        );
    }
    return out;
  }
}

function tableHint(path: readonly string[]): string {
  if (path.length === 1) return `Write it as a section: [${path[0]}] followed by key = value lines.`;
  return `Write it as a table: [${path.join('.')}] or ${path[path.length - 1]} = { key = "value" }.`;
}
