import { EXIT_USAGE, PolyError } from '../errors.js';

/** The names docker compose looks for, in its own order of preference. */
export const COMPOSE_FILES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
] as const;

export type ComposeFileName = (typeof COMPOSE_FILES)[number];

/** The file compose itself would read in this folder's listing, if any. */
export function composeFileIn(files: ReadonlySet<string>): ComposeFileName | undefined {
  return COMPOSE_FILES.find((f) => files.has(f));
}

/**
 * The compose file as plain data, or a PolyError at the line and column of
 * the first YAML error. The yaml package (loaded only here, only when a
 * compose file exists) reports positions and handles anchors and merge keys.
 */
export async function parseComposeText(text: string, file: string): Promise<Record<string, unknown>> {
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { merge: true, prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const at = pos ? `${file}:${pos.line}:${pos.col}` : file;
    const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new PolyError('ADOPT_SYNTAX', `${at}: not valid YAML (${reason})`, {
      hint: `Fix ${file} (docker compose config checks it), then run poly init again; nothing was written.`,
      exitCode: EXIT_USAGE,
    });
  }
  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new PolyError('ADOPT_SYNTAX', `${file}:1:1: a compose file is a mapping with a services key`, {
      hint: `Fix ${file}, then run poly init again; nothing was written.`,
      exitCode: EXIT_USAGE,
    });
  return data as Record<string, unknown>;
}

/** 1-based line of `services.<name>` in the compose text, for notes that point at it. */
export function lineOfService(text: string, name: string): number | undefined {
  const lines = text.split(/\r?\n/);
  let inServices = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^services\s*:/.test(line)) inServices = true;
    else if (/^\S/.test(line)) inServices = false;
    else if (
      inServices &&
      new RegExp(`^\\s+["']?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`).test(line)
    )
      return i + 1;
  }
  return undefined;
}
