import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expectErrno, NOT_THERE } from '../errno.js';
import { writeFileAtomic } from './atomic-write.js';
import { LOCK_FILE, MANIFEST_FILE, projectLayout } from './layout.js';

/**
 * A note in `<project>/.poly/` of what the last complete `poly install` saw:
 * the size and mtime of poly.toml and poly.lock, the store, and the install
 * dirs. While all of that is unchanged, the no-op `poly install` needs no
 * TOML parsing at all.
 */
export interface InstallStamp {
  home: string;
  manifest: string;
  lock: string;
  dirs: string[];
}

function fingerprint(file: string): string {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch (err) {
    expectErrno(err, ...NOT_THERE);
    return 'missing';
  }
}

function stampFile(root: string): string {
  return join(projectLayout(root).dir, 'install-stamp.json');
}

export function currentStamp(root: string, home: string, dirs: string[]): InstallStamp {
  return {
    home,
    manifest: fingerprint(join(root, MANIFEST_FILE)),
    lock: fingerprint(join(root, LOCK_FILE)),
    dirs: [...dirs].sort(),
  };
}

export function writeInstallStamp(root: string, home: string, dirs: string[]): void {
  writeFileAtomic(stampFile(root), JSON.stringify(currentStamp(root, home, dirs)));
}

/** The install dirs the stamp vouches for, or undefined when anything changed since. */
export function readValidStamp(root: string, home: string): string[] | undefined {
  let stamp: InstallStamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile(root), 'utf8')) as InstallStamp;
  } catch (err) {
    // No stamp, or a torn one: the full install path decides.
    if (!(err instanceof SyntaxError)) expectErrno(err, ...NOT_THERE);
    return undefined;
  }
  if (stamp.home !== home || stamp.lock === 'missing') return undefined;
  if (stamp.manifest !== fingerprint(join(root, MANIFEST_FILE))) return undefined;
  if (stamp.lock !== fingerprint(join(root, LOCK_FILE))) return undefined;
  return stamp.dirs.every((d) => existsSync(d)) ? stamp.dirs : undefined;
}
