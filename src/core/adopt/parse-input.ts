import { EXIT_USAGE, PolyError } from '../errors.js';
import { parseToml } from '../manifest/load.js';

/**
 * The repo's own files, parsed or refused with file:line:column. `poly init`
 * writes nothing when one of them is broken: a poly.toml built around a file
 * it could not read would be wrong in ways the user cannot see.
 */
export function parseJsonFile(text: string, display: string): unknown {
  const source = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(source);
  } catch (err) {
    const reason = (err as Error).message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/\s*\(line.*$/, '');
    const position = Number(/at position (\d+)/.exec((err as Error).message)?.[1] ?? source.length);
    const { line, column } = lineAndColumn(source, position);
    throw new PolyError('ADOPT_SYNTAX', `${display}:${line}:${column}: not valid JSON (${reason})`, {
      hint: `Fix ${display} (poly init reads it to find the service), then run poly init again; nothing was written.`,
      exitCode: EXIT_USAGE,
    });
  }
}

export function parseTomlFile(text: string, display: string): Record<string, unknown> {
  try {
    return parseToml(text, display);
  } catch (err) {
    if (err instanceof PolyError)
      throw new PolyError('ADOPT_SYNTAX', err.message, {
        hint: `Fix ${display} (poly init reads it to find the service), then run poly init again; nothing was written.`,
        exitCode: EXIT_USAGE,
      });
    throw err;
  }
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
