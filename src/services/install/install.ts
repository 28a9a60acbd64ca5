import { join } from 'node:path';
import type { PolyContext } from '../../core/context.js';
import { isUnwritable } from '../../core/errno.js';
import { PolyError } from '../../core/errors.js';
import { requireManifest } from '../../core/manifest/load.js';
import type { Manifest, RuntimeName, RuntimePin } from '../../core/manifest/types.js';
import type { InstallEventHandler } from '../../core/runtimes/events.js';
import { installPins } from '../../core/runtimes/install-pins.js';
import type { InstallPlan, RuntimeInstallResult } from '../../core/runtimes/install-plan.js';
import { findInstalled } from '../../core/runtimes/installed.js';
import { cleanLeftovers } from '../../core/runtimes/leftovers.js';
import { writeInstallStamp } from '../../core/store/install-stamp.js';
import { LOCK_FILE } from '../../core/store/layout.js';
import { type Lockfile, lockDisagreements, readLockfile, writeLockfile } from '../../core/store/lockfile.js';
import { recordProject } from '../../core/store/projects.js';
import { parseRuntimeArgument } from '../../core/versions/pin.js';
import { refreshShims } from './shims.js';

export interface InstallOptions {
  cwd: string;
  /** `runtime@spec` arguments; none means everything poly.toml pins. */
  targets?: string[];
  /** Install exactly what poly.lock says; fail when poly.toml and poly.lock disagree. */
  frozen?: boolean;
  /** Refetch remote indexes even when the cached copy is fresh. */
  refresh?: boolean;
  /** Resolve from the cache and installed versions only. */
  offline?: boolean;
  /** Whose store, mirrors, POLY_OFFLINE and machine apply. */
  ctx: PolyContext;
  onEvent?: InstallEventHandler;
}

export interface InstallResult {
  /** poly.toml's folder, when installing a project's pins. */
  project?: string;
  lockfile?: string;
  lockWritten: boolean;
  runtimes: RuntimeInstallResult[];
}

/** `node@22`, `java@temurin-21`, `python@>=3.11 <3.13`, `node` (the latest) -> a checked pin. */
export function parseTarget(target: string): RuntimePin {
  return parseRuntimeArgument(target).pin;
}

/** `poly install`: the project's pins (using and updating poly.lock), or the runtime@spec targets given. */
export async function install(opts: InstallOptions): Promise<InstallResult> {
  const { ctx } = opts;
  const layout = ctx.layout;
  // Even when nothing needs installing: a killed install's partial download goes now.
  cleanLeftovers(layout);
  if (opts.targets && opts.targets.length > 0) {
    const pins = opts.targets.map(parseTarget);
    const plan = makePlan(ctx, undefined, opts);
    const runtimes = await installPins(pins, plan);
    try {
      refreshShims(layout, ctx.host);
    } catch (err) {
      // Shims are an extra; never fail an install because their folder cannot be written.
      if (!isUnwritable(err)) throw err;
    }
    return { lockWritten: false, runtimes: runtimes.map((r) => r.result) };
  }
  const manifest = requireManifest(opts.cwd);
  return installManifest(manifest, ctx, opts);
}

function makePlan(
  ctx: PolyContext,
  lock: Lockfile | undefined,
  opts: Pick<InstallOptions, 'frozen' | 'refresh' | 'offline' | 'onEvent'>,
): InstallPlan {
  return {
    layout: ctx.layout,
    env: ctx.env,
    platform: ctx.platform,
    host: ctx.host,
    lock,
    frozen: !!opts.frozen,
    refresh: !!opts.refresh,
    offline: !!opts.offline || ctx.offline,
    onEvent: opts.onEvent,
  };
}

async function installManifest(
  manifest: Manifest,
  ctx: PolyContext,
  opts: Pick<InstallOptions, 'frozen' | 'refresh' | 'offline' | 'onEvent'>,
): Promise<InstallResult> {
  const { layout, env } = ctx;
  const lockfile = join(manifest.root, LOCK_FILE);
  const lock = readLockfile(lockfile);
  const pins = Object.values(manifest.runtimes).filter((p): p is RuntimePin => !!p);
  if (opts.frozen) checkFrozen(pins, lock, lockfile);
  const plan = makePlan(ctx, lock, opts);
  const outcomes = await installPins(pins, plan);
  let lockWritten = false;
  if (!opts.frozen) {
    // Database packages are locked by `poly up` (src/core/databases); kept as they are.
    const next: Lockfile = { runtimes: {}, ...(lock?.packages ? { packages: lock.packages } : {}) };
    for (const o of outcomes) {
      const entry = o.locked ?? lock?.runtimes[o.result.runtime];
      if (entry) next.runtimes[o.result.runtime] = entry;
    }
    lockWritten = writeLockfile(lockfile, next);
  }
  if (Object.values(manifest.services).some((s) => s.database)) {
    const { installDatabasePackages } = await import('../../core/databases/install-package.js');
    const platform = plan.platform;
    if (platform)
      lockWritten =
        (await installDatabasePackages(manifest, { layout, env, platform, frozen: !!opts.frozen })) ||
        lockWritten;
  }
  try {
    recordProject(layout, manifest.root, manifest.file);
    refreshShims(layout, ctx.host);
    if (outcomes.every((o) => o.result.source !== 'system' && o.locked)) {
      writeInstallStamp(
        manifest.root,
        layout.home,
        outcomes.map((o) => o.result.dir),
      );
    }
  } catch (err) {
    // Remembering the project (for prune) and the stamp (for speed) are extras; never fail an
    // install because their folders cannot be written.
    if (!isUnwritable(err)) throw err;
  }
  return { project: manifest.root, lockfile, lockWritten, runtimes: outcomes.map((o) => o.result) };
}

function checkFrozen(pins: RuntimePin[], lock: Lockfile | undefined, lockfile: string): void {
  if (!lock) {
    throw new PolyError('LOCK_MISSING', `--frozen needs ${lockfile}, and there is none`, {
      hint: 'Run `poly install` without --frozen to write poly.lock, and commit it.',
    });
  }
  const problems = lockDisagreements(pins, lock);
  if (problems.length > 0) {
    throw new PolyError('LOCK_MISMATCH', `poly.toml and poly.lock disagree:\n  ${problems.join('\n  ')}`, {
      hint: 'Run `poly install` without --frozen to update poly.lock, then commit it.',
    });
  }
}

/**
 * For other parts of poly (up, exec, env): make sure every runtime the manifest pins is
 * installed, installing what is missing (poly.lock is used and updated). Returns where each one is.
 */
export async function ensureInstalled(
  manifest: Manifest,
  opts: { ctx: PolyContext; offline?: boolean; onEvent?: InstallEventHandler },
): Promise<Partial<Record<RuntimeName, { version: string; dir: string }>>> {
  const { ctx } = opts;
  const layout = ctx.layout;
  // Without the network and with a version installed, take it rather than fail.
  if (opts.offline || ctx.offline) {
    const quick: Partial<Record<RuntimeName, { version: string; dir: string }>> = {};
    const lock = readLockfile(join(manifest.root, LOCK_FILE));
    let complete = true;
    for (const pin of Object.values(manifest.runtimes)) {
      if (!pin) continue;
      const found = findInstalled(layout, pin, lock?.runtimes[pin.runtime]?.version);
      if (found) quick[pin.runtime] = { version: found.version, dir: found.dir };
      else complete = false;
    }
    if (complete) return quick;
  }
  const result = await installManifest(manifest, ctx, {
    ...(opts.offline ? { offline: true } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  const out: Partial<Record<RuntimeName, { version: string; dir: string }>> = {};
  for (const r of result.runtimes) out[r.runtime] = { version: r.version, dir: r.dir };
  return out;
}
