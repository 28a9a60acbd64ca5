import { mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RUNTIME_NAMES } from '../manifest/types.js';
import {
  type EnvCacheFiles,
  LOCK_FILE,
  MANIFEST_FILE,
  projectLayout,
  type StoreLayout,
} from '../store/layout.js';
import type { EnvironmentRoot } from './project-root.js';
import { renderHookScript } from './render.js';
import type { EnvironmentDelta } from './types.js';

export function cacheFilesFor(root: EnvironmentRoot, layout: StoreLayout): EnvCacheFiles {
  return root.source === 'global' ? layout.globalEnvCache : projectLayout(root.root).envCache;
}

/**
 * What a cached environment depends on: the manifest, the lockfile, and the
 * installs folders (an install or uninstall renames a folder in
 * installs/<runtime>/, which bumps that folder's mtime). The hook and the
 * shims test exactly these with `-nt`, so keep them in step.
 */
export function watchedInputs(root: EnvironmentRoot, layout: StoreLayout): string[] {
  return [
    join(root.root, MANIFEST_FILE),
    join(root.root, LOCK_FILE),
    layout.installs,
    ...RUNTIME_NAMES.map((r) => join(layout.installs, r)),
  ];
}

function mtimeNs(path: string): bigint | undefined {
  try {
    return statSync(path, { bigint: true }).mtimeNs;
  } catch {
    return undefined;
  }
}

/** Fresh when the cache exists and no input is newer than it (the shell's `-nt`). */
export function isCacheFresh(files: EnvCacheFiles, inputs: string[]): boolean {
  const cached = mtimeNs(files.sh);
  if (cached === undefined) return false;
  return inputs.every((input) => {
    const m = mtimeNs(input);
    return m === undefined || m <= cached;
  });
}

export interface CachedEnvironment {
  home: string;
  delta: EnvironmentDelta;
}

export function readCachedEnvironment(files: EnvCacheFiles, home: string): EnvironmentDelta | undefined {
  try {
    const cached = JSON.parse(readFileSync(files.json, 'utf8')) as CachedEnvironment;
    return cached.home === home ? cached.delta : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the cache in its three forms, each stamped with the newest input's
 * mtime (plus a few microseconds, as utimes rounds through a double), so an input
 * edited after poly read it always tests newer. On a filesystem with whole-
 * second times an edit later in the same second would look the same age, so
 * there the stamp goes one second back: the next prompt asks poly once more.
 * Returns false when the folder is not writable (the caller still has the delta).
 */
export function writeEnvCache(
  files: EnvCacheFiles,
  delta: EnvironmentDelta,
  inputs: string[],
  home: string,
): boolean {
  const stamps = inputs.map(mtimeNs).filter((m): m is bigint => m !== undefined);
  let newest = 0n; // bigint: Math.max does not take them
  for (const m of stamps) if (m > newest) newest = m;
  const coarse = stamps.length > 0 && stamps.every((m) => m % 1_000_000_000n === 0n);
  // utimes goes through a double and lands on whole microseconds, rounding down: 3 µs of margin.
  const stampUs = coarse ? newest / 1000n - 1_000_000n : newest / 1000n + 3n;
  const stamp = Number(stampUs) / 1e6;
  try {
    mkdirSync(files.dir, { recursive: true });
    // .poly/ holds machine state: keep it out of git even where poly init did not add it to .gitignore.
    writeIfMissing(join(files.dir, '.gitignore'), '*\n');
    const json: CachedEnvironment = { home, delta };
    writeStamped(files.json, `${JSON.stringify(json)}\n`, stamp);
    writeStamped(files.fish, renderHookScript(delta, 'fish', home), stamp);
    // env.sh last: its mtime is the one readers test, so it never looks fresh before the others exist.
    writeStamped(files.sh, renderHookScript(delta, 'sh', home), stamp);
    return true;
  } catch {
    return false;
  }
}

function writeIfMissing(file: string, text: string): void {
  try {
    writeFileSync(file, text, { flag: 'wx' });
  } catch {
    // Exists already (or the folder is read-only, which the next write reports).
  }
}

function writeStamped(file: string, text: string, stampSeconds: number): void {
  const tmp = join(dirname(file), `.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    writeFileSync(tmp, text);
    utimesSync(tmp, stampSeconds, stampSeconds);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
