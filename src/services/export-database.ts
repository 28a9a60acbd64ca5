import { databaseCredentials } from '../core/databases/postgres-recipe.js';
import type { DatabaseSpec, Manifest } from '../core/manifest/types.js';

/**
 * A database service (`use = "postgres@16"`) as it runs on an orchestrator:
 * the official image of the same version, on the port that image listens on,
 * with the credentials poly's own recipe uses, so peers' `<NAME>_URL` holds.
 */
export interface ExportedDatabase {
  image: string;
  port: number;
  env: Record<string, string>;
}

/** "16", "16.4" or "latest": an image tag that names the same versions. */
function tag(spec: string): string {
  return spec === 'latest' ? 'latest' : spec;
}

export function exportedDatabase(manifest: Pick<Manifest, 'project'>, db: DatabaseSpec): ExportedDatabase {
  if (db.name === 'postgres') {
    const c = databaseCredentials(manifest, db);
    return {
      image: `postgres:${tag(db.spec)}`,
      port: 5432,
      env: { POSTGRES_USER: c.user, POSTGRES_PASSWORD: c.password, POSTGRES_DB: c.database },
    };
  }
  if (db.name === 'mariadb') {
    const c = databaseCredentials(manifest, db);
    const env: Record<string, string> = { MARIADB_DATABASE: c.database, MARIADB_ROOT_PASSWORD: c.password };
    // The image refuses MARIADB_USER=root (root is made from MARIADB_ROOT_PASSWORD).
    if (c.user !== 'root') Object.assign(env, { MARIADB_USER: c.user, MARIADB_PASSWORD: c.password });
    return { image: `mariadb:${tag(db.spec)}`, port: 3306, env };
  }
  // Both names install Valkey natively (Redis publishes no binaries); its image answers as Redis does.
  const image = db.name === 'redis' ? `redis:${tag(db.spec)}` : `valkey/valkey:${tag(db.spec)}`;
  return { image, port: 6379, env: {} };
}
