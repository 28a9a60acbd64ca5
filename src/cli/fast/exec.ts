import { constants } from 'node:os';
import type { PolyContext } from '../../core/context.js';
import { execInEnvironment } from '../../services/exec/exec.js';
import { EXEC_FLAGS } from '../flag-table.js';
import { readFlags, reportError, usage } from './args.js';

/** `poly exec [--no-install] [--container] [--service name] [-C dir] [--] <cmd> [args...]` without oclif. */
export async function fastExec(argv: string[], ctx: PolyContext): Promise<boolean> {
  try {
    const flags = readFlags(argv, EXEC_FLAGS, { stopAtPositional: true, env: ctx.env });
    if (!flags) return false;
    const [command, ...args] = flags.rest;
    if (!command) throw usage('poly exec: missing the command to run', 'Example: poly exec -- node -v');
    const common = {
      cwd: flags.cwd,
      ctx,
      command,
      args,
      install: !flags.booleans.has('no-install'),
      ...(flags.values.has('service') ? { service: flags.values.get('service') as string } : {}),
      onEvent: (e: { message: string }) => process.stderr.write(`poly: ${e.message}\n`),
    };
    const result = flags.booleans.has('container')
      ? await (await import('../../services/exec/in-container.js')).execInProjectContainer(common)
      : await execInEnvironment({ ...common, shim: flags.booleans.has('shim') });
    passOnExit(result.exitCode, result.signal);
  } catch (err) {
    reportError(err);
  }
  return true;
}

/** Ends like the child did: the same exit code, or death by the same signal. */
export function passOnExit(exitCode: number | null, signal: NodeJS.Signals | null): void {
  if (signal) {
    process.exitCode = 128 + (constants.signals[signal] ?? 0);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exitCode = exitCode ?? 1;
}
