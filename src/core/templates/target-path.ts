import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { PolyError } from '../errors.js';

/**
 * Refuses a service folder that is not really inside the project: the path is
 * checked as written AND as the filesystem resolves it, so a symlinked folder
 * on the way (`services -> /elsewhere`) cannot make poly new write, and then
 * clean up, files outside the project. Runs before anything is written.
 */
export function assertInsideProject(root: string, dir: string): string {
  const rel = relative(root, dir);
  if (isOutside(rel)) {
    throw new PolyError('PATH_OUTSIDE_PROJECT', `${dir} is not inside the project at ${root}`, {
      hint: 'Give a --path inside the folder that holds poly.toml.',
    });
  }
  const existing = nearestExisting(dir);
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    throw new PolyError('PATH_OUTSIDE_PROJECT', `${existing} is a symbolic link that leads nowhere`, {
      hint: 'Remove the link or give another --path; nothing was written.',
    });
  }
  const realRel = relative(realpathSync(root), real);
  if (realRel !== '' && isOutside(realRel)) {
    throw new PolyError(
      'PATH_OUTSIDE_PROJECT',
      `${dir} leads outside the project: ${existing} is a link to ${real}`,
      {
        hint: 'poly new only writes inside the project. Give a --path that is not behind a link; nothing was written.',
      },
    );
  }
  return rel;
}

function isOutside(rel: string): boolean {
  return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** The deepest part of `path` that exists (a link counts, even a dangling one). */
function nearestExisting(path: string): string {
  let current = path;
  for (;;) {
    try {
      lstatSync(current);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

/** The outermost folder of `dir` (itself included) that does not exist yet: what writing it creates. */
export function firstMissingFolder(dir: string): string | undefined {
  const existing = nearestExisting(dir);
  if (existing === dir) return undefined;
  let missing = dir;
  while (dirname(missing) !== existing) missing = dirname(missing);
  return missing;
}
