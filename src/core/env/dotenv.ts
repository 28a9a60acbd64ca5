import { readFileSync } from 'node:fs';
import { EXIT_USAGE, PolyError } from '../errors.js';
import type { EnvFileRef } from '../manifest/types.js';
import type { EnvDefinition } from './service-env/types.js';

/** One `KEY=value` of a dotenv file, as docker compose reads it. */
export interface DotenvEntry {
  name: string;
  value: string;
  /** Single-quoted values are taken literally; the others are interpolated. */
  literal: boolean;
  /** Where the value starts, 1-based. */
  line: number;
  column: number;
  /** `KEY` alone: the value comes from the environment poly runs in. */
  fromEnvironment?: boolean;
}

const ASSIGN = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(=?)\s*/;

/**
 * Parses dotenv text the way docker compose does: `KEY=value`, an optional
 * `export ` prefix, `#` comments (inline only after whitespace in unquoted
 * values), single quotes literal, double quotes with \n \t \\ \" \$ escapes,
 * and quoted values spanning lines. Throws `Error(line:column: why)` on a
 * line it cannot read.
 */
export function parseDotenv(text: string): DotenvEntry[] {
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = src.split('\n');
  const out: DotenvEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*(#|$)/.test(line)) continue;
    const m = ASSIGN.exec(line);
    if (!m?.[1]) throw new Error(`${i + 1}:1: expected KEY=value, got ${JSON.stringify(line.trim())}`);
    const name = m[1];
    const column = m[0].length + 1;
    if (!m[2]) {
      if (line.slice(m[0].length).trim() !== '')
        throw new Error(`${i + 1}:${column}: expected "=" after ${name}`);
      out.push({ name, value: '', literal: true, line: i + 1, column, fromEnvironment: true });
      continue;
    }
    const rest = line.slice(m[0].length);
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      const { value, endLine } = quoted(lines, i, m[0].length, quote);
      out.push({ name, value, literal: quote === "'", line: i + 1, column: column + 1 });
      i = endLine;
      continue;
    }
    out.push({ name, value: rest.replace(/\s+#.*$/, '').trim(), literal: false, line: i + 1, column });
  }
  return out;
}

/** A quoted value from line `start`, column `at` (its quote); may end on a later line. */
function quoted(
  lines: string[],
  start: number,
  at: number,
  quote: string,
): { value: string; endLine: number } {
  let value = '';
  let i = start;
  let pos = at + 1;
  for (;;) {
    const text = lines[i] ?? '';
    while (pos < text.length) {
      const ch = text[pos] as string;
      if (ch === quote) return { value, endLine: i };
      if (ch === '\\' && quote === '"' && pos + 1 < text.length) {
        const next = text[pos + 1] as string;
        // \$ stays a literal $ through interpolation.
        value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next === '$' ? '$$' : next;
        pos += 2;
        continue;
      }
      // A literal single-quoted $ is not interpolated; double-quoted values are.
      value += ch;
      pos++;
    }
    if (i + 1 >= lines.length) throw new Error(`${start + 1}:${at + 1}: the closing ${quote} is missing`);
    value += '\n';
    i++;
    pos = 0;
  }
}

/**
 * The definitions of a list of env_files, in order (later files win). A
 * missing required file is an error naming it; `required = false` skips it.
 */
export function envFileDefinitions(
  files: readonly EnvFileRef[],
  host: Readonly<Record<string, string | undefined>>,
  owner: string,
): EnvDefinition[] {
  const out: EnvDefinition[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file.path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !file.required) continue;
      throw new PolyError(
        'ENV_FILE_MISSING',
        `${owner} env_file "${file.written}": ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
        {
          hint:
            code === 'ENOENT'
              ? `Create ${file.written}, or write env_file = { path = "${file.written}", required = false }.`
              : 'Check that the file is readable.',
          exitCode: EXIT_USAGE,
        },
      );
    }
    let entries: DotenvEntry[];
    try {
      entries = parseDotenv(text);
    } catch (err) {
      throw new PolyError('ENV_FILE_SYNTAX', `${file.written}:${(err as Error).message}`, {
        hint: 'Write one KEY=value per line; quote values with spaces or # in them.',
        exitCode: EXIT_USAGE,
      });
    }
    for (const e of entries) {
      const value = e.fromEnvironment ? host[e.name] : e.value;
      if (value === undefined) continue;
      out.push({
        name: e.name,
        value,
        source: 'env_file',
        template: !e.literal,
        site: {
          label: `${file.written} ${e.name}`,
          position: (offset) => positionIn(file.written, e, value, offset),
        },
      });
    }
  }
  return out;
}

function positionIn(display: string, e: DotenvEntry, value: string, offset: number): string {
  const before = value.slice(0, offset).split('\n');
  const line = e.line + before.length - 1;
  const column = before.length === 1 ? e.column + offset : (before[before.length - 1]?.length ?? 0) + 1;
  return `${display}:${line}:${column}`;
}
