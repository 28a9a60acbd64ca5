import type { InstallResult } from '../services/install/install.js';

/** The last line of `poly install`, shared by the oclif command and the fast path. */
export function installSummary(result: Pick<InstallResult, 'runtimes'>): string {
  const fresh = result.runtimes.filter((r) => r.installed);
  if (fresh.length === 0) return `All ${result.runtimes.length} runtime(s) already installed.`;
  return `Installed ${fresh.length} runtime(s): ${fresh.map((r) => `${r.runtime} ${r.version}`).join(', ')}.`;
}
