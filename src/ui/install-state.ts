import type { RuntimeName } from '../core/manifest/types.js';
import type { InstallEvent } from '../core/runtimes/events.js';

/** What the install view shows per runtime, folded from the events (pure, shared by Ink and plain text). */
export type InstallPhase =
  | 'resolving'
  | 'waiting'
  | 'downloading'
  | 'verifying'
  | 'unpacking'
  | 'installed'
  | 'present'
  | 'failed';

export interface InstallRow {
  runtime: RuntimeName;
  spec?: string;
  version?: string;
  phase: InstallPhase;
  bytes: number;
  total?: number;
  /** Bytes per second. */
  speed: number;
  message?: string;
}

export type InstallState = InstallRow[];

export function reduceInstall(state: InstallState, e: InstallEvent): InstallState {
  const rows = [...state];
  let i = rows.findIndex((r) => r.runtime === e.runtime);
  if (i === -1) {
    rows.push({ runtime: e.runtime, phase: 'resolving', bytes: 0, speed: 0 });
    i = rows.length - 1;
  }
  const row = { ...(rows[i] as InstallRow) };
  switch (e.type) {
    case 'resolve':
      row.spec = e.spec;
      row.phase = 'resolving';
      break;
    case 'resolved':
      row.version = e.version;
      if (e.installed) row.phase = 'present';
      break;
    case 'wait':
      row.phase = 'waiting';
      break;
    case 'download':
      row.phase = 'downloading';
      row.bytes = e.bytes;
      if (e.total !== undefined) row.total = e.total;
      row.speed = e.speed;
      break;
    case 'retry':
      row.message = `retry ${e.attempt}: ${e.reason}`;
      break;
    case 'slow':
      row.message = `waiting for ${e.url} (nothing for ${e.seconds} s)`;
      break;
    case 'verify':
      row.phase = 'verifying';
      break;
    case 'unpack':
      row.phase = 'unpacking';
      break;
    case 'done':
      row.version = e.version;
      row.phase = e.installed ? 'installed' : 'present';
      delete row.message;
      break;
    case 'error':
      row.phase = 'failed';
      row.message = e.message.split('\n')[0] ?? e.message;
      break;
  }
  rows[i] = row;
  return rows;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** `[#########-----------]` for a fraction. */
export function bar(fraction: number, width = 20): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** One line for a row, used by the Ink view's text and by tests. */
export function describeRow(r: InstallRow): string {
  const name = `${r.runtime} ${r.version ?? r.spec ?? ''}`.trim();
  switch (r.phase) {
    case 'resolving':
      return `${name}  resolving…`;
    case 'waiting':
      return `${name}  waiting for another poly installing it…`;
    case 'downloading': {
      const size = r.total ? `${formatBytes(r.bytes)}/${formatBytes(r.total)}` : formatBytes(r.bytes);
      return `${name}  ${bar(r.total ? r.bytes / r.total : 0)} ${size}  ${formatBytes(r.speed)}/s${r.message ? `  (${r.message})` : ''}`;
    }
    case 'verifying':
      return `${name}  ${bar(1)} verified`;
    case 'unpacking':
      return `${name}  ${bar(1)} installing…`;
    case 'installed':
      return `${name}  ✓ installed`;
    case 'present':
      return `${name}  ✓ already installed`;
    case 'failed':
      return `${name}  ✗ ${r.message ?? 'failed'}`;
  }
}
