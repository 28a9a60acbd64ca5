import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { expectErrno, NOT_THERE } from '../errno.js';

/** The first executable named `binary` on PATH, skipping poly's own shims. */
export function findOnPath(
  binary: string,
  env: NodeJS.ProcessEnv,
  skipDirs: string[] = [],
): string | undefined {
  const skip = new Set(skipDirs.map((d) => resolve(d)));
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || skip.has(resolve(dir))) continue;
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch (err) {
      // Not here, or here but not executable by us.
      expectErrno(err, ...NOT_THERE, 'EACCES', 'EPERM', 'ELOOP', 'ENAMETOOLONG');
    }
  }
  return undefined;
}
