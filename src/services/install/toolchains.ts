import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PolyContext } from '../../core/context.js';
import { expectErrno, NOT_THERE } from '../../core/errno.js';
import { EXIT_USAGE, PolyError } from '../../core/errors.js';
import { loadNearestManifest } from '../../core/manifest/load.js';
import { RUNTIME_NAMES, type RuntimeName } from '../../core/manifest/types.js';
import { findInstalled, listInstalled } from '../../core/runtimes/installed.js';
import { installDir, LOCK_FILE } from '../../core/store/layout.js';
import { readLockfile } from '../../core/store/lockfile.js';
import { parseTarget } from './install.js';
import { refreshShims } from './shims.js';

/** `poly ls`, `poly uninstall`, `poly which`: what is installed, and where. */
export interface InstalledEntry {
  runtime: RuntimeName;
  version: string;
  dir: string;
  /** This project pins it (through poly.lock or its spec). */
  used: boolean;
}

export interface ListResult {
  project?: string;
  installed: InstalledEntry[];
  /** Pinned by this project but not installed. */
  missing: { runtime: RuntimeName; spec: string }[];
}

export function listToolchains(opts: { cwd: string; ctx: PolyContext }): ListResult {
  const layout = opts.ctx.layout;
  const manifest = loadNearestManifest(opts.cwd);
  const lock = manifest ? readLockfile(join(manifest.root, LOCK_FILE)) : undefined;
  const used = new Map<RuntimeName, string>();
  const missing: ListResult['missing'] = [];
  for (const pin of Object.values(manifest?.runtimes ?? {})) {
    if (!pin || pin.spec === 'system') continue;
    const found = findInstalled(layout, pin, lock?.runtimes[pin.runtime]?.version);
    if (found) used.set(pin.runtime, found.version);
    else missing.push({ runtime: pin.runtime, spec: pin.spec });
  }
  const installed: InstalledEntry[] = [];
  for (const runtime of RUNTIME_NAMES) {
    for (const version of listInstalled(layout, runtime)) {
      installed.push({
        runtime,
        version,
        dir: installDir(layout, runtime, version),
        used: used.get(runtime) === version,
      });
    }
  }
  return { ...(manifest ? { project: manifest.root } : {}), installed, missing };
}

export interface UninstallResult {
  runtime: RuntimeName;
  version: string;
  dir: string;
}

/** Removes one installed version: moved out of installs/ first (atomic), then deleted. */
export function uninstall(opts: { target: string; ctx: PolyContext }): UninstallResult {
  const layout = opts.ctx.layout;
  const pin = parseTarget(opts.target);
  if (!opts.target.includes('@')) {
    throw new PolyError('BAD_TARGET', `say which version to remove: ${pin.runtime}@<version>`, {
      hint: `Installed: ${listInstalled(layout, pin.runtime).join(', ') || 'none'}.`,
      exitCode: EXIT_USAGE,
    });
  }
  const versions = listInstalled(layout, pin.runtime);
  const version = versions.includes(pin.spec) ? pin.spec : undefined;
  if (!version) {
    throw new PolyError('NOT_INSTALLED', `${pin.runtime} ${pin.spec} is not installed`, {
      hint: versions.length
        ? `Installed ${pin.runtime} versions: ${versions.join(', ')}.`
        : `No ${pin.runtime} version is installed.`,
    });
  }
  const dir = installDir(layout, pin.runtime, version);
  removeInstall(layout.tmp, dir);
  refreshShims(layout, opts.ctx.host);
  return { runtime: pin.runtime, version, dir };
}

/** Rename into tmp (so installs/ never shows a half-deleted version), then delete. */
export function removeInstall(tmp: string, dir: string): void {
  const trash = join(tmp, `${process.pid}-trash-${Math.random().toString(36).slice(2, 8)}`);
  try {
    renameSync(dir, trash);
  } catch (err) {
    // No tmp folder yet, another filesystem, or the folder is in use: delete it where it is.
    expectErrno(err, ...NOT_THERE, 'EXDEV', 'EBUSY');
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    return;
  }
  rmSync(trash, { recursive: true, force: true });
}
