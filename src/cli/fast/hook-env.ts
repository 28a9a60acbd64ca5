import { isShellName } from '../../core/env/types.js';
import { hookEnv } from '../../services/hook-env.js';
import { NO_FLAGS } from '../flag-table.js';
import { readFlags, reportError, usage } from './args.js';

/** `poly hook-env <shell>`: what the prompt hook evals after its builtin checks saw a change. */
export async function fastHookEnv(argv: string[]): Promise<boolean> {
  try {
    const flags = readFlags(argv, NO_FLAGS, { stopAtPositional: false });
    if (!flags) return false;
    const shell = flags.values.get('_') ?? 'bash';
    if (!isShellName(shell)) throw usage(`unknown shell "${shell}"`, 'Use bash, zsh or fish.');
    process.stdout.write(await hookEnv({ cwd: flags.cwd, shell }));
  } catch (err) {
    reportError(err);
  }
  return true;
}
