import type { InstallEvent } from '../core/runtimes/events.js';
import { formatBytes } from './install-state.js';

/**
 * The plain-text twin of InstallProgress for pipes and CI: one line per step,
 * never a line per chunk. `seen` remembers which downloads already got their line.
 */
export function formatInstallEvent(e: InstallEvent, seen: Set<string>): string | undefined {
  switch (e.type) {
    case 'resolved':
      return e.installed
        ? `${e.runtime} ${e.version}: already installed`
        : `${e.runtime}: ${e.spec} -> ${e.version}`;
    case 'wait':
      return `${e.runtime} ${e.version}: waiting for another poly process installing it${e.ownerPid ? ` (pid ${e.ownerPid})` : ''}`;
    case 'download': {
      const key = `${e.runtime}@${e.version}`;
      if (seen.has(key)) return undefined;
      seen.add(key);
      return `${e.runtime} ${e.version}: downloading${e.total ? ` ${formatBytes(e.total)}` : ''}`;
    }
    case 'retry':
      return `${e.runtime} ${e.version}: retry ${e.attempt} (${e.reason})`;
    case 'slow':
      return `${e.runtime} ${e.version}: waiting for ${e.url} (nothing received for ${e.seconds} s)`;
    case 'verify':
      return `${e.runtime} ${e.version}: verified ${e.checksum.slice(0, 23)}…`;
    case 'unpack':
      return `${e.runtime} ${e.version}: installing`;
    case 'done':
      return e.installed ? `${e.runtime} ${e.version}: installed in ${e.dir}` : undefined;
    case 'error':
      return `${e.runtime}: failed: ${e.message.split('\n')[0]}`;
    default:
      return undefined;
  }
}
