import { readFileSync } from 'node:fs';
import { parse as parseForEdit, patch } from '@decimalturn/toml-patch';
import { PolyError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { decodeManifest, displayPath, parseManifest, parseToml } from './load.js';
import { restoreCommentSpacing } from './preserve-spacing.js';
import type { Manifest } from './types.js';

export type ManifestDocument = Record<string, unknown>;

/**
 * Format-preserving edit of poly.toml: `mutate` changes the plain object, the
 * patch keeps comments, blank lines, key order and quoting elsewhere byte for
 * byte. The result is validated before it is written; on any error the file
 * is left exactly as it was.
 */
export function editManifest(
  file: string,
  mutate: (doc: ManifestDocument) => void,
  /** A last pass over the edited text (validated with it), e.g. dropping a comment the edit made false. */
  finish: (text: string) => string = (text) => text,
): Manifest {
  const display = displayPath(file);
  // Same checks as loading: a binary, huge or empty-by-mistake file is refused before editing.
  const bytes = readFileSync(file);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const before = (bom ? '\uFEFF' : '') + decodeManifest(bytes, display);
  const after = finish(editManifestSource(before, display, mutate));
  const manifest = parseManifest(after, file);
  if (after !== before) writeFileAtomic(file, after);
  return manifest;
}

/**
 * Drops the `# from .nvmrc` comments `poly init` wrote on the lines of `runtimes`
 * in [runtimes] (`# from web/.nvmrc` in a monorepo): once `poly use` changes such a pin,
 * the comment is no longer true. Only comments naming a version file poly imports are touched.
 */
export function dropImportComments(
  text: string,
  runtimes: readonly string[],
  files: readonly string[],
): string {
  if (runtimes.length === 0) return text;
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const comment = new RegExp(
    `^(\\s*(?:${runtimes.map(literal).join('|')})\\s*=.*?)\\s+# from (?:[^\\s#]*/)?(?:${files.map(literal).join('|')})(?: \\(.*\\))?(\r?)$`,
  );
  let table = '';
  return text
    .split('\n')
    .map((line) => {
      const header = /^\s*\[([^\]]*)\]/.exec(line);
      if (header) table = (header[1] ?? '').trim();
      if (table !== 'runtimes') return line;
      const m = comment.exec(line);
      return m ? `${m[1]}${m[2]}` : line;
    })
    .join('\n');
}

/** The pure part of editManifest: source in, edited source out. */
export function editManifestSource(
  source: string,
  file: string,
  mutate: (doc: ManifestDocument) => void,
): string {
  parseToml(source, file); // precise syntax errors before the editor sees the text
  const crlf = source.includes('\r\n');
  const bom = source.startsWith('\uFEFF');
  let text = source.replace(/^\uFEFF/, '');
  if (crlf) text = text.replace(/\r\n/g, '\n');
  const doc = editorStep(file, () => parseForEdit(text) as ManifestDocument);
  mutate(doc);
  let out = restoreCommentSpacing(
    text,
    editorStep(file, () => patch(text, doc)),
  );
  // An empty file has no line ending to copy: end the new text like a text file.
  if (text.trim() === '' && out !== '' && !out.endsWith('\n')) out += '\n';
  if (crlf) out = out.replace(/\n/g, '\r\n');
  return (bom ? '\uFEFF' : '') + out;
}

/**
 * smol-toml accepted the file, so a failure of the format-preserving editor is
 * its limitation, not the user's mistake: say so and how to proceed.
 */
function editorStep<T>(file: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof PolyError) throw err;
    throw new PolyError(
      'MANIFEST_EDIT',
      `${file}: cannot edit this file without reformatting it (${(err as Error).message.split('\n')[0]})`,
      { hint: 'Make the change by hand; the file was left as it was.', cause: err },
    );
  }
}
