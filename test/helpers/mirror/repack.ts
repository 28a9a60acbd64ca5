/**
 * The one repack loop of the mirror's database archives: lay the files out
 * under the archive's top folder in a staging folder, then tar them
 * reproducibly (sorted, mtime 0, owner 0, gzip -n: the same bytes on every
 * machine) and rename the result into place, so a reader never sees half an
 * archive. Built once: an archive already in the cache is returned as it is.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** `<dir>/<top>.tar.gz`, built by `fill(topFolder)` when missing. */
export function repackOnce(
  dir: string,
  top: string,
  fill: (topFolder: string) => void,
  gzipLevel = 6,
): string {
  const archive = join(dir, `${top}.tar.gz`);
  if (existsSync(archive)) return archive;
  const staging = join(dir, `.build-${top}-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, top), { recursive: true });
  try {
    fill(join(staging, top));
    const tar = join(staging, 'out.tar');
    execFileSync('tar', [
      '-cf',
      tar,
      '--sort=name',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '-C',
      staging,
      top,
    ]);
    execFileSync('gzip', ['-n', `-${gzipLevel}`, tar]);
    renameSync(`${tar}.gz`, archive);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return archive;
}
