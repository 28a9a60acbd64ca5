import { spawn } from 'node:child_process';
import type { PolyContext } from '../../core/context.js';
import { applyDelta, findExecutable } from '../../core/env/apply.js';
import { PolyError } from '../../core/errors.js';

import { type EnvEvent, loadEnvironment } from '../env/project-env.js';
import { serviceShellEnv } from '../env/service-shell-env.js';

export interface ExecOptions {
  cwd: string;
  command: string;
  args: string[];
  /** Install missing pinned runtimes first (default true; false for --no-install). */
  install?: boolean;
  /** Called by a shim: the command must not resolve to the shims folder itself. */
  shim?: boolean;
  /** Whose store, mirrors and machine apply. */
  ctx: PolyContext;
  onEvent?: (event: EnvEvent) => void;
  /** `--service`: run with that service's environment (default: the service whose folder holds cwd). */
  service?: string;
}

export interface ExecResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

/** The folder's environment for `poly exec` (installing what it lacks unless told not to), its notices passed on. */
export async function execEnvironment(options: Omit<ExecOptions, 'shim'>) {
  const delta = await loadEnvironment({
    cwd: options.cwd,
    ctx: options.ctx,
    install: options.install ?? true,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  for (const message of delta.notices) options.onEvent?.({ type: 'notice', message });
  return delta;
}

/**
 * Runs a command in the folder's environment, no shell in between: stdio is
 * the caller's, signals sent to poly reach the child, and the child's exit
 * code or signal is returned for the caller to pass on.
 */
export async function execInEnvironment(options: ExecOptions): Promise<ExecResult> {
  const { ctx } = options;
  const layout = ctx.layout;
  const delta = await execEnvironment(options);
  // In a service's folder (or with --service): that service's environment, cached for bin/poly and the shims.
  const service = await serviceShellEnv(delta, options.cwd, ctx, options.service);
  const applied = service?.delta ?? delta;
  const env: NodeJS.ProcessEnv = applyDelta(ctx.env, applied);
  const skip = options.shim ? [layout.shims] : [];
  const executable = options.shim
    ? (findExecutable(options.command, applied.pathPrepend.join(':')) ??
      findExecutable(options.command, env.PATH, skip))
    : findExecutable(options.command, env.PATH);
  if (!executable) throw commandNotFound(options.command, !!delta.root);
  return runChild(executable, options.args, env, options.cwd).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT'
      ? commandNotFound(options.command, !!delta.root)
      : notExecutable(options.command, err);
  });
}

function runChild(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: 'inherit', env, cwd });
    const forward = (signal: NodeJS.Signals) => () => {
      child.kill(signal);
    };
    const handlers = FORWARDED.map((s) => [s, forward(s)] as const);
    // ^C in a terminal already reached the child (same process group): forwarding it
    // would deliver it twice. Without a terminal a SIGINT was sent to poly alone.
    const onInt = () => {
      if (!process.stdin.isTTY) child.kill('SIGINT');
    };
    for (const [s, h] of handlers) process.on(s, h);
    process.on('SIGINT', onInt);
    const cleanup = () => {
      for (const [s, h] of handlers) process.off(s, h);
      process.off('SIGINT', onInt);
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      cleanup();
      reject(err);
    });
    child.on('exit', (code, signal) => {
      cleanup();
      resolve({ exitCode: code, signal });
    });
  });
}

// The same words whichever path runs the command: bin/poly's sh front hands a command it
// cannot run over to this code, so `poly exec` says one thing for each failure.
function commandNotFound(command: string, inProject: boolean): PolyError {
  return new PolyError('COMMAND_NOT_FOUND', `${command}: command not found`, {
    hint: inProject
      ? `It is not in the project's toolchains nor on PATH; \`poly env\` shows the environment.`
      : 'It is not on PATH.',
    exitCode: 127,
  });
}

function notExecutable(command: string, err: NodeJS.ErrnoException): PolyError {
  return new PolyError('COMMAND_NOT_EXECUTABLE', `${command}: permission denied (not an executable file)`, {
    hint:
      err.code === 'EACCES'
        ? `Make it executable (chmod +x ${command}), or run it with its interpreter.`
        : err.message,
    exitCode: 126,
  });
}
