import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { requireManifest } from '../../core/manifest/load.js';
import { type ProjectLayout, projectLayout, serviceLogFile } from '../../core/store/layout.js';
import { selectServices } from '../../core/supervisor/graph.js';
import { readSupervisorFile } from '../../core/supervisor/host.js';
import { isProcessRunning } from '../../core/supervisor/process-alive.js';
import { isRunMarker } from '../../core/supervisor/run-marker.js';

export interface LogsOptions {
  cwd: string;
  /** One service, or all of the project's when undefined. */
  service?: string;
  /** Lines of history per service. */
  lines: number;
  follow: boolean;
  /** Every run kept in the log, not only the current one (since the last start marker). */
  all?: boolean;
  onLine(service: string, line: string): void;
  /** Ends following. */
  signal?: AbortSignal;
}

/** Bytes read back from the end of a log for the last N lines: enough for long lines, bounded for huge files. */
const TAIL_WINDOW = 4 * 1024 * 1024;
const FOLLOW_POLL_MS = 150;

/**
 * `poly logs`: the last lines of each service's log file, then (with follow)
 * new lines as they are written. Reads the files in .poly/logs directly, so it
 * works with or without a running supervisor, and follows across rotation.
 * Following ends when the supervisor that ran at the start stops (`poly down`).
 */
export async function showLogs(o: LogsOptions): Promise<string[]> {
  const manifest = requireManifest(o.cwd);
  const layout = projectLayout(manifest.root);
  // An unknown name is an error with a did-you-mean.
  if (o.service) selectServices(manifest.services, [o.service]);
  const names = o.service ? [o.service] : Object.keys(manifest.services);
  const cursors: Cursor[] = names.map((name) => {
    const file = serviceLogFile(layout, name);
    const size = sizeOf(file);
    for (const line of lastLines(file, size, o.lines, o.all ? {} : { currentRun: true }))
      o.onLine(name, line);
    return { name, file, pos: size, partial: '' };
  });
  // The supervisor running now: once `poly down` (or a crash) ended it, nothing more is written.
  const watched = o.follow ? runningSupervisor(layout) : undefined;
  while (o.follow && !o.signal?.aborted) {
    await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
    const ended = watched !== undefined && runningSupervisor(layout) !== watched;
    // Read after the check: the last lines of a stopping service are on disk before its supervisor is gone.
    for (const c of cursors) readNewLines(c, o.onLine);
    if (ended) break;
  }
  return names;
}

interface Cursor {
  name: string;
  file: string;
  pos: number;
  partial: string;
}

function readNewLines(c: Cursor, onLine: LogsOptions['onLine']): void {
  const size = sizeOf(c.file);
  if (size < c.pos) {
    // Rotated: the live file started over.
    c.pos = 0;
    c.partial = '';
  }
  if (size === c.pos) return;
  const text = c.partial + readRange(c.file, c.pos, size);
  c.pos = size;
  const parts = text.split('\n');
  c.partial = parts.pop() ?? '';
  for (const line of parts) onLine(c.name, line);
}

/** The pid of the project's live supervisor, from its state file (removed when it stops). */
function runningSupervisor(layout: ProjectLayout): number | undefined {
  const pid = readSupervisorFile(layout)?.pid;
  return pid !== undefined && isProcessRunning(pid) ? pid : undefined;
}

export function lastLines(
  file: string,
  size: number,
  count: number,
  options: { currentRun?: boolean } = {},
): string[] {
  if (count <= 0 || size === 0) return [];
  const start = Math.max(0, size - TAIL_WINDOW);
  let lines = readRange(file, start, size).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (start > 0) lines.shift();
  if (options.currentRun) {
    const marker = lines.findLastIndex(isRunMarker);
    if (marker > 0) lines = lines.slice(marker);
  }
  return lines.slice(-count);
}

function sizeOf(file: string): number {
  try {
    return existsSync(file) ? statSync(file).size : 0;
  } catch {
    return 0;
  }
}

function readRange(file: string, start: number, end: number): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return ''; // between a rotation's rename and the next write
  }
  try {
    const buffer = Buffer.alloc(end - start);
    const read = readSync(fd, buffer, 0, buffer.length, start);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
