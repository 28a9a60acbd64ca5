import type { PolyContext } from '../../core/context.js';
import { type ExecResult, execInEnvironment } from '../exec/exec.js';
import type { EnvEvent } from './project-env.js';

/**
 * `poly shell`: the user's $SHELL (else /bin/sh) as a subshell with the
 * project's environment; exiting it returns to the shell as it was.
 */
export async function runProjectShell(options: {
  cwd: string;
  ctx: PolyContext;
  install: boolean;
  onEvent?: (event: EnvEvent) => void;
}): Promise<ExecResult> {
  const shell = options.ctx.env.SHELL || '/bin/sh';
  return execInEnvironment({
    cwd: options.cwd,
    ctx: options.ctx,
    command: shell,
    args: [],
    install: options.install,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
}
