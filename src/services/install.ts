import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { getRuntime } from '../../runtimes/index.js';
import { currentPlatform, type Platform } from '../../runtimes/types.js';
import { PolyError } from '../core/errors.js';
import { requireManifest } from '../core/manifest/load.js';
import type { Manifest, RuntimeName, RuntimePin } from '../core/manifest/types.js';
import { isOffline } from '../core/poly-env.js';
import type { InstallEventHandler } from '../core/runtimes/events.js';
import { findInstalled } from '../core/runtimes/installed.js';
import { cleanLeftovers } from '../core/runtimes/leftovers.js';
import { writeInstallStamp } from '../core/store/install-stamp.js';
import { installDir, LOCK_FILE, type StoreLayout, storeLayout } from '../core/store/layout.js';
import {
  type LockedRuntime,
  type Lockfile,
  lockDisagreements,
  lockMatchesPin,
  readLockfile,
  writeLockfile,
} from '../core/store/lockfile.js';
import { recordProject } from '../core/store/projects.js';
import { parseRuntimeArgument } from '../core/versions/pin.js';
import { done } from './install-outcome.js';
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
  env?: NodeJS.ProcessEnv;
  onEvent?: InstallEventHandler;
}

export interface RuntimeInstallResult {
  runtime: RuntimeName;
  spec: string;
  version: string;
  dir: string;
  /** True when this run downloaded it; false when it was already there. */
  installed: boolean;
  source: string;
}

export interface InstallResult {
  /** poly.toml's folder, when installing a project's pins. */
  project?: string;
  lockfile?: string;
  lockWritten: boolean;
  runtimes: RuntimeInstallResult[];
}

export interface Plan {
  layout: StoreLayout;
  env: NodeJS.ProcessEnv;
  lock: Lockfile | undefined;
  frozen: boolean;
  refresh: boolean;
  offline: boolean;
  onEvent: InstallEventHandler | undefined;
}

/** `node@22`, `java@temurin-21`, `python@>=3.11 <3.13`, `node` (the latest) -> a checked pin. */
export function parseTarget(target: string): RuntimePin {
  return parseRuntimeArgument(target).pin;
}

/** `poly install`: the project's pins (using and updating poly.lock), or the runtime@spec targets given. */
export async function install(opts: InstallOptions): Promise<InstallResult> {
  const env = opts.env ?? process.env;
  const layout = storeLayout(env);
  // Even when nothing needs installing: a killed install's partial download goes now.
  cleanLeftovers(layout);
  if (opts.targets && opts.targets.length > 0) {
    const pins = opts.targets.map(parseTarget);
    const plan = makePlan(layout, env, undefined, opts);
    const runtimes = await installPins(pins, plan);
    try {
      refreshShims(layout);
    } catch {
      // Shims are an extra; never fail an install over them.
    }
    return { lockWritten: false, runtimes: runtimes.map((r) => r.result) };
  }
  const manifest = requireManifest(opts.cwd);
  return installManifest(manifest, layout, env, opts);
}

function makePlan(
  layout: StoreLayout,
  env: NodeJS.ProcessEnv,
  lock: Lockfile | undefined,
  opts: Pick<InstallOptions, 'frozen' | 'refresh' | 'offline' | 'onEvent'>,
): Plan {
  return {
    layout,
    env,
    lock,
    frozen: !!opts.frozen,
    refresh: !!opts.refresh,
    offline: !!opts.offline || isOffline(env),
    onEvent: opts.onEvent,
  };
}

async function installManifest(
  manifest: Manifest,
  layout: StoreLayout,
  env: NodeJS.ProcessEnv,
  opts: Pick<InstallOptions, 'frozen' | 'refresh' | 'offline' | 'onEvent'>,
): Promise<InstallResult> {
  const lockfile = join(manifest.root, LOCK_FILE);
  const lock = readLockfile(lockfile);
  const pins = Object.values(manifest.runtimes).filter((p): p is RuntimePin => !!p);
  if (opts.frozen) checkFrozen(pins, lock, lockfile);
  const plan = makePlan(layout, env, lock, opts);
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
    const { installDatabasePackages } = await import('../core/databases/install-package.js');
    const platform = currentPlatform();
    if (platform)
      lockWritten =
        (await installDatabasePackages(manifest, { layout, env, platform, frozen: !!opts.frozen })) ||
        lockWritten;
  }
  try {
    recordProject(layout, manifest.root, manifest.file);
    refreshShims(layout);
    if (outcomes.every((o) => o.result.source !== 'system' && o.locked)) {
      writeInstallStamp(
        manifest.root,
        layout.home,
        outcomes.map((o) => o.result.dir),
      );
    }
  } catch {
    // Remembering the project (for prune) and the stamp (for speed) are extras; never fail an install over them.
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

export interface PinOutcome {
  result: RuntimeInstallResult;
  locked?: LockedRuntime;
}

async function installPins(pins: RuntimePin[], plan: Plan): Promise<PinOutcome[]> {
  const platform = currentPlatform();
  if (!platform) {
    throw new PolyError(
      'PLATFORM_UNSUPPORTED',
      `poly installs toolchains on linux and macOS (x64, arm64), not ${process.platform}-${process.arch}`,
    );
  }
  const settled = await Promise.allSettled(pins.map((pin) => installPin(pin, plan, platform)));
  const failures: { runtime: RuntimeName; error: Error }[] = [];
  const outcomes: PinOutcome[] = [];
  settled.forEach((s, i) => {
    const runtime = (pins[i] as RuntimePin).runtime;
    if (s.status === 'fulfilled') outcomes.push(s.value);
    else {
      const error = s.reason instanceof Error ? s.reason : new Error(String(s.reason));
      failures.push({ runtime, error });
      plan.onEvent?.({ type: 'error', runtime, message: error.message });
    }
  });
  if (failures.length === 1) throw (failures[0] as { error: Error }).error;
  if (failures.length > 1) throw installFailures(failures);
  return outcomes;
}

/**
 * Several runtimes failed: one error listing each under its own name, with its own hint,
 * so no failure hides another (the others installed; what failed installed nothing).
 */
function installFailures(failures: { runtime: RuntimeName; error: Error }[]): PolyError {
  const lines = failures.map(({ runtime, error }) => {
    const hint = error instanceof PolyError && error.hint ? `\n      ${error.hint}` : '';
    return `  ${runtime}: ${error.message.split('\n').join('\n    ')}${hint}`;
  });
  return new PolyError(
    'INSTALL_FAILED',
    `${failures.length} runtimes failed to install:\n${lines.join('\n')}`,
    {
      hint: 'Each failure above says how to fix it; the other runtimes were installed.',
      cause: new AggregateError(
        failures.map((f) => f.error),
        'install failures',
      ),
    },
  );
}

async function installPin(pin: RuntimePin, plan: Plan, platform: Platform): Promise<PinOutcome> {
  const { layout, onEvent } = plan;
  const def = getRuntime(pin.runtime);
  onEvent?.({ type: 'resolve', runtime: pin.runtime, spec: pin.spec });
  if (pin.spec.trim() === 'system') return systemPin(pin, plan);
  const locked = plan.lock?.runtimes[pin.runtime];
  const usable = lockMatchesPin(locked, pin) ? locked : undefined;
  // The fast path: pinned, locked and installed means no network and no heavy modules.
  if (usable && existsSync(installDir(layout, pin.runtime, usable.version))) {
    onEvent?.({
      type: 'resolved',
      runtime: pin.runtime,
      spec: pin.spec,
      version: usable.version,
      installed: true,
    });
    return done(pin, usable.version, false, usable.source, plan, usable);
  }
  const engine = await import('./install-engine.js');
  return engine.resolveAndInstall(pin, plan, platform, usable, def);
}

async function systemPin(pin: RuntimePin, plan: Plan): Promise<PinOutcome> {
  const { findOnPath } = await import('../core/runtimes/system.js');
  const def = getRuntime(pin.runtime);
  const bin = findOnPath(def.systemBinary, plan.env, [plan.layout.shims]);
  if (!bin) {
    throw new PolyError(
      'SYSTEM_NOT_FOUND',
      `${pin.runtime} = "system", but no ${def.systemBinary} is on PATH`,
      {
        hint: `Install ${pin.runtime} with your system's package manager, or pin a version poly installs (for example ${pin.runtime} = "latest").`,
      },
    );
  }
  plan.onEvent?.({
    type: 'done',
    runtime: pin.runtime,
    version: 'system',
    dir: dirname(dirname(bin)),
    installed: false,
  });
  return {
    result: {
      runtime: pin.runtime,
      spec: pin.spec,
      version: 'system',
      dir: dirname(dirname(bin)),
      installed: false,
      source: 'system',
    },
  };
}

/**
 * For other parts of poly (up, exec, env): make sure every runtime the manifest pins is
 * installed, installing what is missing (poly.lock is used and updated). Returns where each one is.
 */
export async function ensureInstalled(
  manifest: Manifest,
  opts: { offline?: boolean; onEvent?: InstallEventHandler; env?: NodeJS.ProcessEnv } = {},
): Promise<Partial<Record<RuntimeName, { version: string; dir: string }>>> {
  const env = opts.env ?? process.env;
  const layout = storeLayout(env);
  // Without the network and with a version installed, take it rather than fail.
  if (opts.offline || isOffline(env)) {
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
  const result = await installManifest(manifest, layout, env, {
    ...(opts.offline ? { offline: true } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  const out: Partial<Record<RuntimeName, { version: string; dir: string }>> = {};
  for (const r of result.runtimes) out[r.runtime] = { version: r.version, dir: r.dir };
  return out;
}
