import { posix } from 'node:path';

/**
 * The symlinks an archive has made so far (install-relative path -> target),
 * to resolve later entries the way the filesystem will: `a/up -> ..` then
 * `esc -> a/up/a/up/../..` is lexically inside but physically two folders
 * above the install. One per unpack.
 */
export type ArchiveLinks = Map<string, string>;

/**
 * Resolves an install-relative path through the archive's earlier symlinks.
 * Returns the physical install-relative path, or undefined when it leaves the
 * install folder (or loops).
 */
export function resolveThroughLinks(path: string, links: ArchiveLinks): string | undefined {
  const queue = path.split('/');
  const out: string[] = [];
  let hops = 0;
  while (queue.length > 0) {
    const part = queue.shift() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      continue;
    }
    out.push(part);
    const target = links.get(out.join('/'));
    if (target === undefined) continue;
    if (++hops > 40 || target.startsWith('/')) return undefined;
    out.pop();
    queue.unshift(...target.split('/'));
  }
  return out.join('/');
}

/**
 * Why an entry escapes through earlier links of the same archive (undefined:
 * it does not), and records it when it is a symlink. `stripped` is the path
 * inside the install folder; for a hardlink, `linkpath` is its target inside
 * the install folder too.
 */
export function linkChainReason(
  links: ArchiveLinks,
  path: string,
  stripped: string,
  type: string,
  linkpath: string | undefined,
): string | undefined {
  if (stripped === '') return undefined;
  const parent = resolveThroughLinks(posix.dirname(stripped), links);
  if (parent === undefined) return `"${path}" is written through a link that leads outside the archive`;
  const at = parent === '' ? posix.basename(stripped) : `${parent}/${posix.basename(stripped)}`;
  if (type === 'SymbolicLink' && linkpath !== undefined) {
    if (resolveThroughLinks(`${parent}/${linkpath}`, links) === undefined) {
      return `symlink "${path}" points outside the archive through its other links ("${linkpath}")`;
    }
    links.set(at, linkpath);
    return undefined;
  }
  // A file or folder replaces a link of the same name.
  links.delete(at);
  if (type === 'Link' && linkpath !== undefined && resolveThroughLinks(linkpath, links) === undefined) {
    return `hardlink "${path}" points outside the archive through its links ("${linkpath}")`;
  }
  return undefined;
}
