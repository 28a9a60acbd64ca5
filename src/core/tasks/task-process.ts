import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startGroupWatchdog } from '../supervisor/group-watchdog.js';
import { LineSplitter } from '../supervisor/line-splitter.js';
import { endGroup } from '../supervisor/process-group.js';
import type { CommandLine } from './command-line.js';

export interface TaskProcessOptions {
  cwd: string;
  env: Record<string, string>;
  onLine(line: string, stream: 'stdout' | 'stderr'): void;
}

export interface TaskExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not start at all (not found, not executable). */
  error?: string;
}

export interface TaskProcess {
  pid: number | undefined;
  exited: Promise<TaskExit>;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs: number): Promise<void>;
}

/** Time stragglers of an ended command get before their group is killed. */
const LEFTOVER_GRACE_MS = 2000;

/** Time the group gets between SIGTERM and SIGKILL when poly itself died (the watchdog's grace). */
const ORPHAN_GRACE_MS = 5000;

/**
 * One command of a task, in its own process group (detached), as the
 * supervisor runs a service: Ctrl-C in a terminal reaches poly only, and poly
 * ends the group, so a `cargo test` and the test binaries it started stop
 * together. Whatever the command leaves in its group when it exits is ended too.
 * A watchdog ends the group if poly dies first (even by SIGKILL).
 */
export function startTaskProcess(command: CommandLine, options: TaskProcessOptions): TaskProcess {
  const child = spawn(command.file, command.args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  const watchdog = pid === undefined ? undefined : startGroupWatchdog(pid, ORPHAN_GRACE_MS);
  const out = new LineSplitter((line) => options.onLine(line, 'stdout'));
  const err = new LineSplitter((line) => options.onLine(line, 'stderr'));
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));
  let closed = false;
  const closing = once(child, 'close')
    .catch(() => undefined)
    .then(() => {
      closed = true;
    });
  const exited = new Promise<TaskExit>((resolve) => {
    child.once('error', (e: NodeJS.ErrnoException) => {
      const why =
        e.code === 'ENOENT' ? 'command not found' : e.code === 'EACCES' ? 'not executable' : e.message;
      resolve({ code: e.code === 'ENOENT' ? 127 : 126, signal: null, error: `${command.file}: ${why}` });
    });
    child.once('exit', async (code, signal) => {
      if (pid !== undefined) await endGroup(pid, LEFTOVER_GRACE_MS);
      watchdog?.kill('SIGKILL');
      // Output still buffered in the pipes arrives before 'close'.
      // A process that left the group may still hold the pipes: wait for it only briefly.
      if (!closed) await Promise.race([closing, new Promise((r) => setTimeout(r, 300).unref())]);
      out.flush();
      err.flush();
      resolve({ code, signal });
    });
  });
  let stopping: Promise<void> | undefined;
  return {
    pid,
    exited,
    stop(graceMs: number) {
      if (pid === undefined) return exited.then(() => undefined);
      stopping ??= endGroup(pid, graceMs).then(() => exited.then(() => undefined));
      return stopping;
    },
  };
}
