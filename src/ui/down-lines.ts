import type { DownResult } from '../services/up/down.js';

/** What `poly down` prints (the oclif command and the fast path alike). */
export function downLines(result: DownResult): string[] {
  const lines = [
    result.stopped
      ? `Stopped${result.services.length ? ` ${result.services.join(', ')}` : ''}.`
      : 'Nothing was running.',
  ];
  if (result.leftovers?.length)
    lines.push(
      `Ended ${result.leftovers.length} process(es) a killed supervisor had left running (pid ${result.leftovers.join(', ')}).`,
    );
  const r = result.removed;
  if (r && r.containers.length + r.networks.length + r.volumes.length > 0)
    lines.push(`Removed ${[...r.containers, ...r.networks, ...r.volumes].join(', ')}.`);
  if (result.removedData) lines.push(`Removed database data ${result.removedData.join(', ')}.`);
  return lines;
}
