import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { RUNTIME_NAMES } from '../manifest/types.js';
import {
  type EnvCacheFiles,
  LOCK_FILE,
  MANIFEST_FILE,
  type ProjectLayout,
  projectLayout,
  SERVICE_ENV_MARKER,
  type StoreLayout,
  serviceEnvCacheFiles,
} from '../store/layout.js';
import type { EnvironmentRoot } from './project-root.js';
import { HOOK_PROTOCOL, renderHookScript, type WatchedFile } from './render.js';
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
  protocol?: string;
  home: string;
  delta: EnvironmentDelta;
  watch?: WatchedFile[];
}

/**
 * The cached delta when the cache is this version's, for this POLY_HOME, and
 * none of its watched files changed (the same test the shell readers make).
 */
export function readCachedEnvironment(files: EnvCacheFiles, home: string): EnvironmentDelta | undefined {
  return readCacheEntry(files, home)?.delta;
}

/** readCachedEnvironment with the files the cache watches. */
export function readCacheEntry(files: EnvCacheFiles, home: string): CachedEnvironment | undefined {
  try {
    const cached = JSON.parse(readFileSync(files.json, 'utf8')) as CachedEnvironment;
    if (cached.protocol !== HOOK_PROTOCOL || cached.home !== home) return undefined;
    return watchUnchanged(files, cached.watch ?? []) ? cached : undefined;
  } catch {
    return undefined;
  }
}

/** What to record of `paths`: whether each exists now. */
export function watchedFiles(paths: readonly string[]): WatchedFile[] {
  return [...new Set(paths)].map((path) => ({ path, present: existsSync(path) }));
}

function watchUnchanged(files: EnvCacheFiles, watch: readonly WatchedFile[]): boolean {
  const cached = mtimeNs(files.sh);
  if (cached === undefined) return false;
  return watch.every((w) => {
    const m = mtimeNs(w.path);
    return w.present ? m !== undefined && m <= cached : m === undefined;
  });
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
  watchPaths: readonly string[] = [],
): boolean {
  const watch = watchedFiles(watchPaths);
  const stamps = [...inputs, ...watch.filter((w) => w.present).map((w) => w.path)]
    .map(mtimeNs)
    .filter((m): m is bigint => m !== undefined);
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
    const json: CachedEnvironment = { protocol: HOOK_PROTOCOL, home, delta, watch };
    writeStamped(files.json, `${JSON.stringify(json)}\n`, stamp);
    writeStamped(files.fish, renderHookScript(delta, 'fish', home, watch), stamp);
    // env.sh last: its mtime is the one readers test, so it never looks fresh before the others exist.
    writeStamped(files.sh, renderHookScript(delta, 'sh', home, watch), stamp);
    return true;
  } catch {
    return false;
  }
}

/**
 * Marks each service's folder in .poly/service-env/ (see ProjectLayout), so
 * the shell readers know a service folder without reading poly.toml. Written
 * with the project's cache; the service caches written before go with the old
 * marks, since they depended on the same inputs. Best effort, like the cache.
 */
export function writeServiceMarkers(
  layout: ProjectLayout,
  serviceDirs: Readonly<Record<string, string>>,
): void {
  try {
    rmSync(layout.serviceEnv, { recursive: true, force: true });
    for (const [name, dir] of Object.entries(serviceDirs)) {
      const files = serviceEnvCacheFiles(layout, dir);
      if (!files) continue;
      mkdirSync(files.dir, { recursive: true });
      writeIfMissing(join(files.dir, SERVICE_ENV_MARKER), `${name}\n`); // two services in one folder: the first
    }
  } catch {
    // A read-only project: the readers find no mark and use the project's environment.
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
