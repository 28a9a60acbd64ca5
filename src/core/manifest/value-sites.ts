import { locateKey, type SourcePosition } from './locate.js';

/**
 * Where the text of each interpolated value starts in poly.toml ([env],
 * services' env and run), so an error about `${NAME}` at some offset of a
 * value names its line and column. Kept on the manifest: the variables a
 * value refers to are only known when a service's environment is computed.
 */
export interface ValueSites {
  /** How messages name the file ("poly.toml"). */
  display: string;
  /** By dotted key path ("env.RUST_LOG", "services.api.env.PORT", "services.api.run"). */
  values: Record<string, SourcePosition>;
}

const KEY = `(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)`;
/** A (dotted) key, "=", and the opening quote of its value. */
const VALUE_START = new RegExp(`^(?:${KEY}\\s*\\.\\s*)*${KEY}\\s*=\\s*("""|'''|"|')`);

/** Where a key's string value starts (the first character after its opening quote). */
export function valueStart(source: string, path: readonly string[]): SourcePosition {
  const key = locateKey(source, path);
  const lines = source.split(/\r?\n/);
  const text = lines[key.line - 1] ?? '';
  const rest = text.slice(key.column - 1);
  const m = VALUE_START.exec(rest);
  if (!m?.[1]) return key;
  const column = key.column + m[0].length;
  // A multi-line string that starts with a line break starts on the next line.
  if (m[1].length === 3 && column > text.length) return { line: key.line + 1, column: 1 };
  return { line: key.line, column };
}

/** The position of the character at `offset` of a value that starts at `start`. */
export function positionInValue(start: SourcePosition, value: string, offset: number): SourcePosition {
  const before = value.slice(0, offset);
  const breaks = before.split('\n');
  if (breaks.length === 1) return { line: start.line, column: start.column + offset };
  return { line: start.line + breaks.length - 1, column: (breaks[breaks.length - 1]?.length ?? 0) + 1 };
}
