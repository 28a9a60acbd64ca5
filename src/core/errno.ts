import { PolyError } from './errors.js';

/**
 * Operating-system errors by their code, so a caller catches only the failures it
 * expects (a file not there yet, a folder it cannot write) and everything else,
 * a bug included, still reaches the top.
 */

/** The errno code (ENOENT, EACCES …) of an operating-system error; undefined for anything else. */
export function errnoCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as NodeJS.ErrnoException).code;
  // A PolyError has a code too (STORE_UNWRITABLE …); errno codes are E + capitals.
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** True when `err` is an operating-system error with one of `codes`. */
export function isErrno(err: unknown, ...codes: string[]): boolean {
  const code = errnoCode(err);
  return code !== undefined && codes.includes(code);
}

/** Rethrows `err` unless it is an operating-system error with one of `codes`. */
export function expectErrno(err: unknown, ...codes: string[]): void {
  if (!isErrno(err, ...codes)) throw err;
}

/** A path that is not there: missing, or a file where a folder was expected. */
export const NOT_THERE = ['ENOENT', 'ENOTDIR'] as const;

/** Why writing to a folder of the user's can fail on their machine (not a bug in poly). */
const CANNOT_WRITE = ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EISDIR', 'ENOENT'];

/** writeFileAtomic's and storeError's refusals of the same causes (a read-only file, a link loop). */
const REFUSED_WRITES = new Set(['FILE_NOT_WRITABLE', 'FILE_READ_ONLY', 'SYMLINK_LOOP', 'STORE_UNWRITABLE']);

/** A write that failed because of the user's files or disk, as the OS or poly's writers report it. */
export function isUnwritable(err: unknown): boolean {
  if (err instanceof PolyError) return REFUSED_WRITES.has(err.code);
  return isErrno(err, ...CANNOT_WRITE);
}
