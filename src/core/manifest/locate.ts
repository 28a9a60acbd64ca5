/**
 * Finds where a key path is written in TOML source, for error messages that
 * name file:line:column. A light scanner: table headers and `key =` lines,
 * dotted and quoted keys, inline tables on one line. Returns the best match
 * it can (the key, else its table), never throws.
 */
export interface SourcePosition {
  line: number;
  column: number;
}

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/;
const ASSIGN =
  /^(\s*)((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=/;

export function splitKey(raw: string): string[] {
  const parts: string[] = [];
  const re = /\s*("([^"]*)"|'([^']*)'|[A-Za-z0-9_-]+)\s*(\.|$)/gy;
  let m: RegExpExecArray | null = re.exec(raw);
  while (m !== null && m[0] !== '') {
    parts.push(m[2] ?? m[3] ?? m[1] ?? '');
    m = re.exec(raw);
  }
  return parts;
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => path[i] === p);
}

export function locateKey(source: string, path: readonly string[]): SourcePosition {
  const lines = source.split(/\r?\n/);
  let table: string[] = [];
  let best: SourcePosition = { line: 1, column: 1 };
  let bestDepth = 0;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const header = HEADER.exec(text);
    if (header?.[1]) {
      table = splitKey(header[1]);
      // [a.b.c] also defines a and a.b: the first such header locates them.
      const depth = startsWith(path, table) ? table.length : startsWith(table, path) ? path.length : 0;
      if (depth > bestDepth) {
        best = { line: i + 1, column: text.indexOf('[') + 1 };
        bestDepth = depth;
      }
      continue;
    }
    const assign = ASSIGN.exec(text);
    if (!assign?.[2]) continue;
    const full = [...table, ...splitKey(assign[2])];
    const column = (assign[1]?.length ?? 0) + 1;
    if (full.length > path.length && startsWith(full, path) && path.length > bestDepth) {
      best = { line: i + 1, column };
      bestDepth = path.length;
      continue;
    }
    if (startsWith(path, full) && full.length > bestDepth) {
      best = { line: i + 1, column };
      bestDepth = full.length;
      // An inline table on this line may hold the rest of the path.
      let rest = text.slice(assign[0].length);
      for (const key of path.slice(full.length)) {
        const quoted = escapeRegExp(key);
        const bare = /^[A-Za-z0-9_-]+$/.test(key) ? `|${key}` : '';
        const at = new RegExp(`(^|[{,\\s])("${quoted}"|'${quoted}'${bare})\\s*=`).exec(rest);
        if (!at) break;
        const offset = text.length - rest.length + at.index + (at[1]?.length ?? 0);
        best = { line: i + 1, column: offset + 1 };
        bestDepth++;
        rest = text.slice(offset + 1);
      }
    }
  }
  return best;
}

export interface Definition {
  line: number;
  column: number;
  /** A [table] header or a `key =` line. */
  kind: 'table' | 'key';
  /** Full dotted path of what the line defines. */
  path: string[];
}

/** Every header and `key =` line, in order, with full paths. One pass. */
export function* definitions(source: string): Generator<Definition> {
  const lines = source.split(/\r?\n/);
  let table: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const header = HEADER.exec(text);
    if (header?.[1]) {
      table = splitKey(header[1]);
      yield { line: i + 1, column: text.indexOf('[') + 1, kind: 'table', path: table };
      continue;
    }
    const assign = ASSIGN.exec(text);
    if (assign?.[2])
      yield {
        line: i + 1,
        column: (assign[1]?.length ?? 0) + 1,
        kind: 'key',
        path: [...table, ...splitKey(assign[2])],
      };
  }
}

/** What line `line` defines, if anything. */
export function definitionAt(source: string, line: number): Definition | undefined {
  for (const d of definitions(source)) {
    if (d.line === line) return d;
    if (d.line > line) break;
  }
  return undefined;
}

/** The first definition before `beforeLine` that clashes with `path` (the same path, a parent or a child). */
export function firstDefinitionLine(
  source: string,
  path: readonly string[],
  beforeLine: number,
): number | undefined {
  for (const d of definitions(source)) {
    if (d.line >= beforeLine) break;
    const clash = startsWith(path, d.path)
      ? d.kind === 'key' || d.path.length === path.length
      : startsWith(d.path, path);
    if (clash) return d.line;
  }
  return undefined;
}

/** The value of `key = value` on a line as written (comment stripped), for messages quoting the user. */
export function rawValueAt(source: string, line: number): string | undefined {
  const text = source.split(/\r?\n/)[line - 1] ?? '';
  const assign = ASSIGN.exec(text);
  if (!assign) return undefined;
  return text
    .slice(assign[0].length)
    .replace(/\s+#.*$/, '')
    .trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
