import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../manifest/types.js';
import { databaseDataDir } from './postgres-recipe.js';

/**
 * `poly down --volumes` for native databases: removes each database
 * service's data folder (and what a killed first run left beside it); the
 * next `poly up` initialises a fresh one. Snapshots stay. Returns the folders removed.
 */
export function removeDatabaseData(manifest: Pick<Manifest, 'root' | 'services'>): string[] {
  const removed: string[] = [];
  for (const spec of Object.values(manifest.services)) {
    if (!spec.database) continue;
    const dir = databaseDataDir(manifest.root, spec.name);
    if (existsSync(dir)) {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  }
  const parent = join(manifest.root, '.poly', 'data');
  if (existsSync(parent))
    for (const entry of readdirSync(parent))
      if (entry.startsWith('.') && entry.includes('.init-'))
        rmSync(join(parent, entry), { recursive: true, force: true });
  return removed;
}
