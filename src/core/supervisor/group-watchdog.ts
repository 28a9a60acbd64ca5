import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { WATCHDOG_SCRIPT } from './native-runner.js';

/**
 * The supervisor's watchdog (native-runner.ts) for one process group that is
 * not a service: a `poly run` task. A sleeping `sh` whose stdin is a pipe
 * from this process; when this process dies, however (SIGKILL included), the
 * pipe closes and the watchdog ends the group: SIGTERM, `graceMs`, SIGKILL.
 * Kill the returned process once the group has ended normally.
 */
export function startGroupWatchdog(pgid: number, graceMs: number): ChildProcess {
  const tenths = String(Math.max(1, Math.ceil(graceMs / 100)));
  // No process carries this marker: a task is ended by its group alone.
  const marker = `task-group/${pgid}`;
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'poly-watchdog', String(pgid), tenths, marker], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  watchdog.on('error', () => {});
  watchdog.stdin?.on('error', () => {});
  // The watchdog must not keep this process alive; its pipe only has to stay open while we live.
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  return watchdog;
}
