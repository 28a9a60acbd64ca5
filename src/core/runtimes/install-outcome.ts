import type { RuntimePin } from '../manifest/types.js';
import { installDir } from '../store/layout.js';
import type { LockedRuntime } from '../store/lockfile.js';
import type { InstallPlan, PinOutcome } from './install-plan.js';

/**
 * One pin is settled: report `done` and say what it resolved to. Its own module because
 * both install-pins.ts (already installed) and install-engine.ts (just installed) end here,
 * and install-pins.ts loads the engine lazily (the engine must not import it back).
 */
export function done(
  pin: RuntimePin,
  version: string,
  installed: boolean,
  source: string,
  plan: Pick<InstallPlan, 'layout' | 'onEvent'>,
  locked?: LockedRuntime,
): PinOutcome {
  const dir = installDir(plan.layout, pin.runtime, version);
  plan.onEvent?.({ type: 'done', runtime: pin.runtime, version, dir, installed });
  return {
    result: { runtime: pin.runtime, spec: pin.spec, version, dir, installed, source },
    ...(locked ? { locked } : {}),
  };
}
