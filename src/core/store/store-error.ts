import { PolyError } from '../errors.js';
import type { StoreLayout } from './layout.js';

const STORE_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOSPC']);

/** A failure to write the store becomes an error the user can act on; other errors pass through. */
export function storeError(err: unknown, layout: StoreLayout, path: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (!code || !STORE_ERRORS.has(code) || err instanceof PolyError) return err;
  return new PolyError('STORE_UNWRITABLE', `cannot write ${path} (${code})`, {
    hint: `poly keeps toolchains under ${layout.home}. Make it writable, or set POLY_HOME to a folder you can write.`,
    cause: err,
  });
}
