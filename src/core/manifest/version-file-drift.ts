import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-write.js';
import { detectVersionFiles } from './import/detect.js';
import type { RuntimeName } from './types.js';

/**
 * Version files (.nvmrc, .python-version, …) that say another version than
 * poly.toml: nvm, pyenv or a CI job reading them would use another toolchain
 * than poly. Found after `poly use` moves a pin that `poly init` imported, and
 * by `poly doctor`.
 */
export interface VersionFileDrift {
  runtime: RuntimeName;
  /** Relative to the project folder. */
  file: string;
  /** What the file says (as written). */
  says: string;
  /** What poly.toml pins. */
  pinned: string;
  /** A one-version file poly can rewrite with `--sync`; others are edited by hand. */
  syncable: boolean;
}

/** Files holding nothing but one runtime's version: `poly use --sync` rewrites them whole. */
const ONE_VERSION_FILES = new Set([
  '.nvmrc',
  '.node-version',
  '.python-version',
  '.go-version',
  '.java-version',
]);

/** The version files in `root` whose version differs from the spec poly.toml pins for that runtime. */
export function versionFileDrift(
  root: string,
  pinned: Partial<Record<RuntimeName, string>>,
): VersionFileDrift[] {
  const detection = detectVersionFiles(root);
  const drift: VersionFileDrift[] = [];
  for (const pin of [...detection.pins, ...detection.shadowed]) {
    const spec = pinned[pin.runtime];
    if (spec === undefined || spec === 'system' || sameVersion(pin.spec, spec)) continue;
    drift.push({
      runtime: pin.runtime,
      file: pin.file,
      says: pin.written ?? pin.spec,
      pinned: spec,
      syncable: ONE_VERSION_FILES.has(pin.file),
    });
  }
  return drift;
}

function sameVersion(fileSpec: string, manifestSpec: string): boolean {
  const bare = (s: string) => s.trim().replace(/^v(?=\d)/, '');
  return bare(fileSpec) === bare(manifestSpec);
}

/** Rewrites the one-version files among `drift` with poly.toml's spec; returns the files written. */
export function syncVersionFiles(root: string, drift: VersionFileDrift[]): string[] {
  const written: string[] = [];
  for (const d of drift) {
    if (!d.syncable) continue;
    writeFileAtomic(join(root, d.file), `${d.pinned}\n`);
    written.push(d.file);
  }
  return written;
}

/** One line per drifting file, for `poly use` and `poly doctor`. */
export function describeDrift(d: VersionFileDrift): string {
  return `${d.file} says ${d.says}, but poly.toml pins ${d.runtime} = "${d.pinned}"`;
}
