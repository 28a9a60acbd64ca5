import type { ServiceChange } from '../core/supervisor/reconcile.js';

/**
 * What `poly up -d` did to a running project, one line per service, like
 * docker compose's "Running / Recreated / Started / Removed":
 *
 *   db      kept
 *   api     restarted  env GREETING changed
 *   worker  started    new
 *   old     removed    no longer in poly.toml
 */
export function formatServiceChanges(changes: readonly ServiceChange[]): string {
  const name = Math.max(...changes.map((c) => c.name.length));
  const action = Math.max(...changes.map((c) => c.action.length));
  return changes
    .map((c) =>
      c.reason
        ? `${c.name.padEnd(name)}  ${c.action.padEnd(action)}  ${c.reason}`
        : `${c.name.padEnd(name)}  ${c.action}`,
    )
    .join('\n');
}
