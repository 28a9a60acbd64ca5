import type { PolyContext } from '../../core/context.js';
import { applyDelta } from '../../core/env/apply.js';
import type { EnvironmentDelta } from '../../core/env/types.js';
import { type EnvEvent, loadEnvironment } from './project-env.js';

export interface EnvReport extends EnvironmentDelta {
  /** What poly changes, as a child process would see it: PATH in full, the other variables as set. */
  env: Record<string, string>;
}

/**
 * `poly env`: the folder's environment for editors and scripts. It does not
 * install missing runtimes (it lists them); exec and shell do.
 */
export async function environmentReport(options: {
  cwd: string;
  ctx: PolyContext;
  onEvent?: (event: EnvEvent) => void;
}): Promise<EnvReport> {
  const delta = await loadEnvironment({ ...options, install: false });
  const applied = applyDelta(options.ctx.env, delta);
  const env: Record<string, string> = {};
  if (delta.pathPrepend.length) env.PATH = applied.PATH ?? '';
  Object.assign(env, delta.set);
  return { ...delta, env };
}
