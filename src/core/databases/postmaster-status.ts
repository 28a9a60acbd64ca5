import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * postmaster.pid's eighth line (PostgreSQL's LOCK_FILE_LINE_PM_STATUS): "starting",
 * "ready", "standby" or "stopping", padded. It is what `pg_ctl start -w` waits for.
 */
const STATUS_LINE = 7;

/** The lock file a running server keeps in its data folder. */
export function postmasterPidFile(dataDir: string): string {
  return join(dataDir, 'postmaster.pid');
}

/** The status the server last wrote; undefined with no file or no status line yet. */
function postmasterStatus(dataDir: string): string | undefined {
  try {
    const line = readFileSync(postmasterPidFile(dataDir), 'utf8').split('\n')[STATUS_LINE]?.trim();
    return line || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The server says it does not accept connections yet (or any more). A handshake
 * would only get cannot_connect_now, and each try costs the starting server a
 * backend to fork and reap. A file left by a killed server says the same thing
 * at worst until the new one rewrites it, which it does before it listens.
 */
export function postmasterBusy(dataDir: string): boolean {
  const status = postmasterStatus(dataDir);
  return status === 'starting' || status === 'stopping';
}
