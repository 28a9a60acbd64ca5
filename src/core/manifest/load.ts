import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { EXIT_USAGE, PolyError } from '../errors.js';
import { MANIFEST_FILE } from '../store/layout.js';
import { findManifest } from './find.js';
import { definitionAt, firstDefinitionLine } from './locate.js';
import type { Manifest } from './types.js';
import { validateManifest } from './validate.js';

/** A poly.toml holds pins and a few services: a few KB. Anything this big is the wrong file. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Reads and validates poly.toml. Throws a PolyError naming file:line:column. */
export function readManifestFile(file: string): Manifest {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PolyError(
      'MANIFEST_UNREADABLE',
      `${displayPath(file)}: cannot read: ${code === 'EISDIR' ? 'it is a folder' : (err as Error).message}`,
      { hint: 'Check that the file exists and that you may read it.' },
    );
  }
  const display = displayPath(file);
  return parseManifest(decodeManifest(bytes, display), file, display);
}

/**
 * Bytes to text, refusing what is not a UTF-8 text file: NUL bytes, invalid
 * UTF-8, UTF-16, anything over MAX_MANIFEST_BYTES. Strips a UTF-8 BOM.
 */
export function decodeManifest(bytes: Uint8Array, display: string): string {
  const notText = (offset: number, why: string, hint: string): never => {
    const { line, column } = positionOfByte(bytes, offset);
    throw new PolyError('MANIFEST_NOT_TEXT', `${display}:${line}:${column}: not a text file (${why})`, {
      hint,
      exitCode: EXIT_USAGE,
    });
  };
  if (bytes.length > MAX_MANIFEST_BYTES)
    throw new PolyError(
      'MANIFEST_TOO_LARGE',
      `${display}:1:1: file is ${formatSize(bytes.length)}; a manifest may be at most ${formatSize(MAX_MANIFEST_BYTES)}`,
      {
        hint: 'Is this the right file? A poly.toml holds runtime pins and services and is a few KB.',
        exitCode: EXIT_USAGE,
      },
    );
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    notText(0, 'it is UTF-16 encoded', 'Save poly.toml as UTF-8.');
  const nul = bytes.indexOf(0);
  if (nul !== -1)
    notText(
      nul,
      'it contains NUL bytes',
      'poly.toml must be UTF-8 TOML text; was it overwritten by a binary file?',
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return notText(
      firstInvalidUtf8(bytes),
      'it is not valid UTF-8',
      'Save poly.toml as UTF-8; was it overwritten by a binary file?',
    );
  }
  return text.replace(/^\uFEFF/, '');
}

/**
 * Validates TOML text. `display` is how messages name the file (default:
 * relative to the current folder).
 */
export function parseManifest(source: string, file: string, display = displayPath(file)): Manifest {
  const text = source.replace(/^\uFEFF/, '');
  if (text.trim() === '')
    throw new PolyError('MANIFEST_EMPTY', `${display}:1:1: the file is empty`, {
      hint: 'Pin at least one runtime, e.g. `poly use node@22`, or delete it and run `poly init`.',
      exitCode: EXIT_USAGE,
    });
  const data = parseToml(text, display);
  const abs = resolve(file);
  return validateManifest(data, { source: text, file: abs, display, root: dirname(abs) });
}

export function parseToml(source: string, display: string): Record<string, unknown> {
  const text = source.replace(/^\uFEFF/, '');
  try {
    return parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) throw syntaxError(err, text, display);
    throw err;
  }
}

const FRIENDLIER: Record<string, string> = {
  'invalid value': 'invalid value (strings need quotes: node = "22")',
  'unfinished string': 'unterminated string: the closing quote is missing',
  'each key-value declaration must be followed by an end-of-line':
    'expected the end of the line after the value (one key = value per line)',
  'unexpected end of key': 'a key is missing before "="',
  'expected comma or end of structure':
    'expected "," or a closing bracket: an array or inline table is not closed',
};

function syntaxError(err: TomlError, source: string, display: string): PolyError {
  const reason = err.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
  const line = err.line;
  let column = err.column;
  let message = FRIENDLIER[reason] ?? reason;
  let hint = 'Fix the TOML syntax at that position (https://toml.io).';
  const lineText = source.split(/\r?\n/)[line - 1] ?? '';
  if (reason === 'control characters are not allowed in strings' && column > lineText.length)
    message = FRIENDLIER['unfinished string'] ?? reason;
  if (reason === 'illegal character in key' && /^\s*\[/.test(lineText) && !lineText.includes(']'))
    message = 'table header is missing its closing "]"';
  if (reason.startsWith('trying to redefine')) {
    const def = definitionAt(source, err.line);
    if (def && reason === 'trying to redefine an already defined value') {
      // Only smol-toml's inline-table check says "value" alone: the repeat is inside { ... }.
      message = `duplicate key inside the inline table ${def.path.join('.')}`;
    } else if (def) {
      column = def.column;
      const first = firstDefinitionLine(source, def.path, def.line);
      const what = def.kind === 'table' ? `table [${def.path.join('.')}]` : `key ${def.path.join('.')}`;
      message = `duplicate ${what}${first ? ` (already defined on line ${first})` : ''}`;
    } else {
      message = 'duplicate key: this key is already defined';
    }
    hint = 'A key or table may be defined only once; remove or merge one of them.';
  }
  return new PolyError('MANIFEST_SYNTAX', `${display}:${line}:${column}: ${message}`, {
    hint,
    exitCode: EXIT_USAGE,
  });
}

/** Nearest poly.toml from cwd upwards, validated; undefined outside any project. */
export function loadNearestManifest(cwd: string): Manifest | undefined {
  const file = findManifest(cwd);
  return file ? readManifestFile(file) : undefined;
}

/** Like loadNearestManifest, but a missing poly.toml is an error. */
export function requireManifest(cwd: string): Manifest {
  const manifest = loadNearestManifest(cwd);
  if (!manifest) {
    throw new PolyError('NO_MANIFEST', `no ${MANIFEST_FILE} in ${resolve(cwd)} or any parent folder`, {
      hint: 'Run `poly init` to create one here.',
    });
  }
  return manifest;
}

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return resolve(file);
  return rel || basename(file);
}

function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search on the longest valid prefix. In stream mode an incomplete
  // sequence at the cut is not an error, so validity is monotonic in the length.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  // The prefix may end in an incomplete sequence that turned invalid: point at its lead byte.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, lo));
  } catch {
    while (lo > 0 && ((bytes[lo - 1] ?? 0) & 0xc0) === 0x80) lo--;
    if (lo > 0) lo--;
  }
  return lo;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
