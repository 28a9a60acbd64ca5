import { dirname } from 'node:path';
import { PolyError } from './errors.js';

/**
 * The one place where an operating-system error (a user's full disk, a file
 * they made read-only, a folder they cannot write) becomes a PolyError that
 * names the file and what to do. formatError applies it to anything that
 * reaches the top, so such errors are never reported as a bug in poly.
 */
export function systemErrorToPolyError(err: unknown): PolyError | undefined {
  if (err instanceof PolyError || !(err instanceof Error)) return undefined;
  const e = err as NodeJS.ErrnoException & { dest?: string };
  const code = e.code;
  if (!code) return undefined;
  const path = e.path ?? e.dest;
  const where = path ? ` ${path}` : '';
  const options = { cause: err };
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new PolyError('PERMISSION_DENIED', `permission denied${path ? `: ${path}` : ''} (${code})`, {
        ...options,
        hint: path
          ? `Check the owner and permissions of ${path} (ls -ld ${path}); poly runs as uid ${process.getuid?.() ?? '?'}.`
          : 'Check the owner and permissions of the files poly works on.',
      });
    case 'EROFS':
      return new PolyError(
        'READ_ONLY_FILESYSTEM',
        `cannot write${where}: the filesystem is read-only (EROFS)`,
        {
          ...options,
          hint: 'Remount it writable, or point POLY_HOME (or the project) at a writable place.',
        },
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new PolyError('DISK_FULL', `no space left${path ? ` for ${path}` : ''} (${code})`, {
        ...options,
        hint: `Free some disk space${path ? ` (df -h ${dirname(path)})` : ''} and run the command again; \`poly prune\` removes toolchains no project uses.`,
      });
    case 'EMFILE':
    case 'ENFILE':
      return new PolyError('TOO_MANY_OPEN_FILES', `too many open files (${code})`, {
        ...options,
        hint: 'Raise the limit (ulimit -n) and run the command again.',
      });
    case 'ENOTDIR':
    case 'EISDIR':
    case 'ELOOP':
    case 'ENAMETOOLONG':
      return new PolyError('BAD_PATH', `${path ?? 'a path'}: ${e.message.replace(/^[A-Z]+: /, '')}`, {
        ...options,
        hint: 'A file or link is in the way of a folder poly needs (or the other way round); move it away.',
      });
    default:
      return undefined;
  }
}
