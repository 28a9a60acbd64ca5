import { readdirSync, readFileSync } from 'node:fs';

/**
 * True while any live process is in process group `pgid`. Zombies do not
 * count: under an init that does not reap (some containers and VMs), a dead
 * grandchild can stay a zombie in the group for good.
 */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) > 57) continue; // not a pid
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] = state, fields[2] = process group
      if (fields[2] === String(pgid) && fields[0] !== 'Z' && fields[0] !== 'X') return true;
    } catch {
      // ended meanwhile
    }
  }
  return false;
}

/** Signals the whole process group; a group that is already gone is fine. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Resolves true once the group is gone, false if it still lives after `timeoutMs`. */
export async function waitForGroupExit(pgid: number, timeoutMs: number, pollMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isGroupAlive(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
  }
}

/** SIGTERM (or `signal`) to the group, SIGKILL to what is left after `timeoutMs`; resolves once it is gone. */
export async function endGroup(
  pgid: number,
  timeoutMs: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  signalGroup(pgid, signal);
  if (await waitForGroupExit(pgid, timeoutMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await waitForGroupExit(pgid, 5000);
}
