import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { getRuntime } from '../../../runtimes/index.js';
import type { Platform } from '../../../runtimes/types.js';
import { PolyError } from '../errors.js';
import type { RuntimeName, RuntimePin } from '../manifest/types.js';
import { installDir } from '../store/layout.js';
import { lockMatchesPin } from '../store/lockfile.js';
import { done } from './install-outcome.js';
import type { InstallPlan, PinOutcome } from './install-plan.js';

/**
 * The install pipeline for a set of pins, each in parallel: resolve (poly.lock first) ->
 * already installed? -> fetch + verify + unpack -> atomic move (install-toolchain.ts) ->
 * the lock entry it resolved to (PinOutcome.locked). Writing poly.lock is the caller's choice.
 * Failures of several runtimes are reported together, each under its own name.
 */
export async function installPins(pins: RuntimePin[], plan: InstallPlan): Promise<PinOutcome[]> {
  const platform = plan.platform;
  if (!platform) {
    throw new PolyError(
      'PLATFORM_UNSUPPORTED',
      `poly installs toolchains on linux and macOS (x64, arm64), not ${plan.host.os}-${plan.host.arch}`,
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

async function installPin(pin: RuntimePin, plan: InstallPlan, platform: Platform): Promise<PinOutcome> {
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

async function systemPin(pin: RuntimePin, plan: InstallPlan): Promise<PinOutcome> {
  const { findOnPath } = await import('./system.js');
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
