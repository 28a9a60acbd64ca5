import { type ExecResult, execInEnvironment } from './exec.js';
import type { EnvEvent } from './project-env.js';

/**
 * `poly shell`: the user's $SHELL (else /bin/sh) as a subshell with the
 * project's environment; exiting it returns to the shell as it was.
 */
export async function runProjectShell(options: {
  cwd: string;
  install: boolean;
  onEvent?: (event: EnvEvent) => void;
}): Promise<ExecResult> {
  const shell = process.env.SHELL || '/bin/sh';
  return execInEnvironment({
    cwd: options.cwd,
    command: shell,
    args: [],
    install: options.install,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
}
