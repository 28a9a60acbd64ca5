import type { PolyContext } from '../../core/context.js';
import { isShellName } from '../../core/env/types.js';
import { hookEnv } from '../../services/env/hook-env.js';
import { NO_FLAGS } from '../flag-table.js';
import { readFlags, reportError, usage } from './args.js';

/** `poly hook-env <shell>`: what the prompt hook evals after its builtin checks saw a change. */
export async function fastHookEnv(argv: string[], ctx: PolyContext): Promise<boolean> {
  try {
    const flags = readFlags(argv, NO_FLAGS, { stopAtPositional: false, env: ctx.env });
    if (!flags) return false;
    const shell = flags.values.get('_') ?? 'bash';
    if (!isShellName(shell)) throw usage(`unknown shell "${shell}"`, 'Use bash, zsh or fish.');
    process.stdout.write(await hookEnv({ cwd: flags.cwd, shell, ctx }));
  } catch (err) {
    reportError(err);
  }
  return true;
}
