import type { RuntimePin } from '../core/manifest/types.js';
import { installDir } from '../core/store/layout.js';
import type { LockedRuntime } from '../core/store/lockfile.js';
import type { PinOutcome, Plan } from './install.js';

/**
 * One pin is settled: report `done` and say what it resolved to. Its own module because
 * both install.ts (already installed) and install-engine.ts (just installed) end here,
 * and the engine must not import install.ts back (an import cycle).
 */
export function done(
  pin: RuntimePin,
  version: string,
  installed: boolean,
  source: string,
  plan: Pick<Plan, 'layout' | 'onEvent'>,
  locked?: LockedRuntime,
): PinOutcome {
  const dir = installDir(plan.layout, pin.runtime, version);
  plan.onEvent?.({ type: 'done', runtime: pin.runtime, version, dir, installed });
  return {
    result: { runtime: pin.runtime, spec: pin.spec, version, dir, installed, source },
    ...(locked ? { locked } : {}),
  };
}
