import { renderExports } from '../../core/env/render.js';
import { isShellName, type ShellName } from '../../core/env/types.js';
import { environmentReport } from '../../services/env.js';
import { ENV_FLAGS } from '../flag-table.js';
import { readFlags, reportError, usage } from './args.js';

/** `poly env [--shell bash|zsh|fish] [--json] [-C dir]` without oclif. */
export async function fastEnv(argv: string[]): Promise<boolean> {
  try {
    const flags = readFlags(argv, ENV_FLAGS, { json: true, stopAtPositional: false });
    if (!flags || flags.values.has('_') || flags.rest.length) return false;
    const shell = flags.values.get('shell') ?? defaultShell();
    if (!isShellName(shell)) throw usage(`unknown shell "${shell}"`, 'Use bash, zsh or fish.');
    const report = await environmentReport({
      cwd: flags.cwd,
      onEvent: (e) => process.stderr.write(`poly: ${e.message}\n`),
    });
    if (flags.booleans.has('json')) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      for (const notice of report.notices) process.stderr.write(`poly: ${notice}\n`);
      process.stdout.write(renderExports(report, shell));
    }
  } catch (err) {
    reportError(err);
  }
  return true;
}

export function defaultShell(env: NodeJS.ProcessEnv = process.env): ShellName {
  const name = (env.SHELL ?? '').split('/').pop() ?? '';
  return isShellName(name) ? name : 'bash';
}
