import { readFileSync } from 'node:fs';
import { isProcessRunning } from '../../core/supervisor/process-alive.js';

/**
 * Waits up to `timeoutMs` for a supervisor that was told to stop to exit,
 * then kills it: `poly down` never leaves a supervisor behind. The pid is
 * checked to still be a `poly supervise` before each signal (pids are reused).
 * Resolves true when it had to be killed.
 */
export async function endSupervisorProcess(pid: number, timeoutMs: number): Promise<boolean> {
  if (await waitForExit(pid, timeoutMs)) return false;
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    if (!isSupervisor(pid)) return false;
    try {
      process.kill(pid, signal);
    } catch {
      return false;
    }
    if (await waitForExit(pid, 2000)) return true;
  }
  return true;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessRunning(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

/** On Linux, whether the pid runs `poly supervise`; elsewhere assumed (no cheap way to read another command line). */
function isSupervisor(pid: number): boolean {
  if (process.platform !== 'linux') return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('supervise');
  } catch {
    return false;
  }
}
