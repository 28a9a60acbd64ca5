import type { EarlySupervisor } from '../services/up/supervisor-early.js';
import { startDetached, type UpOptions, type UpResult } from '../services/up/up.js';
import { formatServiceChanges } from '../ui/service-changes.js';
import { formatServiceTable } from '../ui/service-lines.js';

/**
 * `poly up -d` for the oclif command and the fast path (fast/up.ts) alike: the
 * same service call and the same lines. `log` prints one line (oclif's
 * this.log); the result is what --json prints. `early`: the fast path's
 * supervisor, spawned before this module loaded.
 */
export async function upDetached(
  options: UpOptions,
  json: boolean,
  log: (text: string) => void,
  early?: EarlySupervisor,
): Promise<UpResult> {
  const result = await startDetached(
    options,
    json ? {} : { onChanges: (changes) => log(`${formatServiceChanges(changes)}\n`) },
    early,
  );
  // A database service's URL is its login (postgres://dev:dev@...), as `poly ps` shows it.
  const { withDatabaseUrls } = await import('../services/db/db.js');
  const shown = { ...result, services: withDatabaseUrls(options.cwd, result.services) };
  if (!json) log(formatServiceTable(shown.services));
  if (!json && result.proxyWarning) process.stderr.write(`warning: ${result.proxyWarning}\n`);
  return shown;
}
