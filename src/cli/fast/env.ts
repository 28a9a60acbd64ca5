import type { PolyContext } from '../../core/context.js';
import { renderExports } from '../../core/env/render.js';
import { isShellName, type ShellName } from '../../core/env/types.js';
import { environmentReport } from '../../services/env/env.js';
import { ENV_FLAGS } from '../flag-table.js';
import { writeStdout } from '../write-stdout.js';
import { readFlags, reportError, usage } from './args.js';

/** `poly env [--shell bash|zsh|fish] [--json] [-C dir]` without oclif. */
export async function fastEnv(argv: string[], ctx: PolyContext): Promise<boolean> {
  try {
    const flags = readFlags(argv, ENV_FLAGS, { json: true, stopAtPositional: false, env: ctx.env });
    if (!flags || flags.values.has('_') || flags.rest.length) return false;
    const shell = flags.values.get('shell') ?? defaultShell(ctx.env);
    if (!isShellName(shell)) throw usage(`unknown shell "${shell}"`, 'Use bash, zsh or fish.');
    const report = await environmentReport({
      cwd: flags.cwd,
      ctx,
      onEvent: (e) => process.stderr.write(`poly: ${e.message}\n`),
    });
    if (flags.booleans.has('json')) writeStdout(`${JSON.stringify(report, null, 2)}\n`);
    else {
      for (const notice of report.notices) process.stderr.write(`poly: ${notice}\n`);
      writeStdout(renderExports(report, shell));
    }
  } catch (err) {
    reportError(err);
  }
  return true;
}

export function defaultShell(env: NodeJS.ProcessEnv): ShellName {
  const name = (env.SHELL ?? '').split('/').pop() ?? '';
  return isShellName(name) ? name : 'bash';
}
