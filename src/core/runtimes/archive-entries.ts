import { posix } from 'node:path';
import { PolyError } from '../errors.js';
import { type ArchiveLinks, linkChainReason } from './archive-links.js';
import type { StreamUnpackOptions } from './unpack-options.js';

/**
 * Why an archive entry would land outside the install dir, or undefined when it is safe.
 * `path` and hardlink targets are archive-relative; symlink targets relative to the entry's folder.
 */
export function unsafeEntryReason(
  path: string,
  type: string,
  linkpath: string | undefined,
  strip: number,
  /** The archive's links so far: checks the entry through them, and records it. */
  links?: ArchiveLinks,
): string | undefined {
  const escapes = (p: string) => p === '..' || p.startsWith('../');
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) return `absolute path "${path}"`;
  if (path.split(/[\\/]/).includes('..')) return `path "${path}" climbs out with ".."`;
  const stripped = path.split('/').filter(Boolean).slice(strip).join('/');
  if (type === 'SymbolicLink') {
    if (!linkpath) return `symlink "${path}" has no target`;
    if (linkpath.startsWith('/')) return `symlink "${path}" points to the absolute path "${linkpath}"`;
    if (escapes(posix.normalize(posix.join(posix.dirname(stripped || '.'), linkpath)))) {
      return `symlink "${path}" points outside the archive ("${linkpath}")`;
    }
  }
  if (type === 'Link') {
    if (!linkpath) return `hardlink "${path}" has no target`;
    if (linkpath.startsWith('/')) return `hardlink "${path}" points to the absolute path "${linkpath}"`;
    const target = linkpath.split('/').filter(Boolean).slice(strip).join('/');
    if (linkpath.split('/').includes('..') || escapes(posix.normalize(target || '.'))) {
      return `hardlink "${path}" points outside the archive ("${linkpath}")`;
    }
  }
  if (!links) return undefined;
  const target = type === 'Link' ? linkpath?.split('/').filter(Boolean).slice(strip).join('/') : linkpath;
  return linkChainReason(links, path, stripped, type, target);
}

/** The error for an entry that would land outside the install dir (see unsafeEntryReason), or undefined. */
export function refuseEntry(
  opts: StreamUnpackOptions,
  path: string,
  entry: unknown,
  links: ArchiveLinks,
): PolyError | undefined {
  const e = entry as { type?: string; linkpath?: string };
  const reason = unsafeEntryReason(path, e.type ?? 'File', e.linkpath, opts.strip, links);
  if (!reason) return undefined;
  return new PolyError('ARCHIVE_UNSAFE', `refusing to unpack ${opts.label}: ${reason}`, {
    hint: 'The archive tries to write outside its install folder. Nothing was installed; check the mirror or source you download from.',
  });
}
