import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { isGroupAlive, signalGroup } from './process-group.js';

/**
 * Every process of a native service, including one that left its process
 * group and session (a daemon: double fork + setsid), carries this variable
 * in its environment. Node has no prctl (no PR_SET_CHILD_SUBREAPER) and a
 * user without a delegated cgroup cannot make one, so the environment is the
 * one mark every descendant inherits on Linux and macOS alike (mise,
 * overmind and process-compose find their children the same way). A process
 * that wipes its own environment before exec escapes it; nothing else does.
 *
 * The value is `<project key>/<service>/<instance>`: `poly down` after a
 * killed supervisor finds a whole project's processes by the key, a stop
 * finds one instance's by the whole value.
 */
export const SERVICE_MARKER = 'POLY_SERVICE_INSTANCE';

/** A short key of the project folder: two projects never share one. */
export function projectMarkerKey(projectRoot: string): string {
  return createHash('sha256').update(projectRoot).digest('hex').slice(0, 12);
}

/** The marker value of one new instance of a service. */
export function instanceMarker(projectRoot: string, service: string): string {
  return `${projectMarkerKey(projectRoot)}/${service}/${randomBytes(6).toString('hex')}`;
}

/**
 * Live processes (zombies excluded) whose environment holds the marker
 * exactly (`whole`), or a marker starting with `prefix`. Reads
 * /proc/<pid>/environ (only the user's own processes are readable, which are
 * the only ones poly started). Elsewhere than Linux: none (the process group
 * is all poly can follow there).
 */
export type MarkerMatch = { whole: string } | { prefix: string };

export function findMarkedProcesses(match: MarkerMatch): number[] {
  if (process.platform !== 'linux') return [];
  const entry = 'whole' in match ? `${SERVICE_MARKER}=${match.whole}\0` : `${SERVICE_MARKER}=${match.prefix}`;
  const found: number[] = [];
  for (const name of safeReaddir('/proc')) {
    if (name.charCodeAt(0) > 57 || Number(name) === process.pid) continue; // not a pid, or ourselves
    let environ: string;
    try {
      environ = readFileSync(`/proc/${name}/environ`, 'latin1');
    } catch {
      continue; // ended meanwhile, or another user's
    }
    if (!hasEntry(environ, entry) || isZombie(name)) continue;
    found.push(Number(name));
  }
  return found;
}

/** What a service instance is made of: its process group and the marker of everything it started. */
export interface ServiceTree {
  pgid?: number;
  marker?: MarkerMatch;
  /** The first signal of a stop (PostgreSQL's fast shutdown is SIGINT). Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
}

export interface TreeEnd {
  /** True when something was still alive after the timeout and got SIGKILL. */
  killed: boolean;
}

/**
 * SIGTERM to the group and to every marked process, SIGKILL to whatever of
 * them is left after `timeoutMs`; resolves once all are gone. Marked
 * processes are looked up again while waiting: a daemon may fork after the
 * first look.
 */
export async function endServiceTree(tree: ServiceTree, timeoutMs: number, pollMs = 50): Promise<TreeEnd> {
  const { marker } = tree;
  const marked = () => (marker ? findMarkedProcesses(marker) : []);
  const signal = (sig: NodeJS.Signals, pids: number[]) => {
    if (tree.pgid !== undefined) signalGroup(tree.pgid, sig);
    for (const pid of pids) signalPid(pid, sig);
  };
  const alive = (pids: number[]) => (tree.pgid !== undefined && isGroupAlive(tree.pgid)) || pids.length > 0;
  let pids = marked();
  // The common case, a service that left nothing behind: one look, no signal.
  if (!alive(pids)) return { killed: false };
  const first = tree.stopSignal ?? 'SIGTERM';
  signal(first, pids);
  const termed = new Set(pids);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    pids = marked();
    if (!alive(pids)) return { killed: false };
    // A process forked after the SIGTERM gets one too.
    const fresh = pids.filter((p) => !termed.has(p));
    for (const pid of fresh) {
      signalPid(pid, first);
      termed.add(pid);
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())));
  }
  const killDeadline = Date.now() + 5000;
  do {
    signal('SIGKILL', pids);
    await sleep(pollMs);
    pids = marked();
  } while (alive(pids) && Date.now() < killDeadline);
  return { killed: true };
}

/**
 * Ends every marked process of a project (what a supervisor killed together
 * with its watchdogs left): see endServiceTree. Resolves with their pids.
 */
export async function endProjectProcesses(projectRoot: string, timeoutMs: number): Promise<number[]> {
  const marker = { prefix: `${projectMarkerKey(projectRoot)}/` };
  const pids = findMarkedProcesses(marker);
  if (pids.length > 0) await endServiceTree({ marker }, timeoutMs);
  return pids;
}

function hasEntry(environ: string, entry: string): boolean {
  return environ.startsWith(entry) || environ.includes(`\0${entry}`);
}

function isZombie(pid: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.charAt(stat.lastIndexOf(')') + 2);
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ended meanwhile
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function sleep(ms: number): Promise<void> {
  // Not unref()d: `poly down` waits on nothing else while it ends leftovers.
  return new Promise((resolve) => setTimeout(resolve, ms));
}
