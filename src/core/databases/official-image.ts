import type { DatabaseSpec, Manifest } from '../manifest/types.js';
import { databaseCredentials } from './postgres-recipe.js';

/**
 * A database service (`use = "postgres@16"`) as its official image runs it:
 * the image of the same version, the port that image listens on, the
 * credentials poly's own recipe uses (as the image's documented variables),
 * and where the image keeps its data. The one mapping: `poly export` and
 * container mode both read it, so peers' `<NAME>_URL` holds on every side.
 */
export interface OfficialDatabaseImage {
  image: string;
  port: number;
  env: Record<string, string>;
  /** The image's data folder (its VOLUME), where a named volume is mounted. */
  dataPath: string;
}

/** "16", "16.4" or "latest": an image tag that names the same versions. */
function tag(spec: string): string {
  return spec === 'latest' ? 'latest' : spec;
}

export function officialDatabaseImage(
  manifest: Pick<Manifest, 'project'>,
  db: DatabaseSpec,
): OfficialDatabaseImage {
  if (db.name === 'postgres') {
    const c = databaseCredentials(manifest, db);
    return {
      image: `postgres:${tag(db.spec)}`,
      port: 5432,
      // PGDATA one level down: a fresh volume's root may hold lost+found (a PVC), which initdb refuses.
      env: {
        POSTGRES_USER: c.user,
        POSTGRES_PASSWORD: c.password,
        POSTGRES_DB: c.database,
        PGDATA: '/var/lib/postgresql/data/pgdata',
      },
      dataPath: '/var/lib/postgresql/data',
    };
  }
  if (db.name === 'mariadb') {
    const c = databaseCredentials(manifest, db);
    const env: Record<string, string> = { MARIADB_DATABASE: c.database, MARIADB_ROOT_PASSWORD: c.password };
    // The image refuses MARIADB_USER=root (root is made from MARIADB_ROOT_PASSWORD).
    if (c.user !== 'root') Object.assign(env, { MARIADB_USER: c.user, MARIADB_PASSWORD: c.password });
    return { image: `mariadb:${tag(db.spec)}`, port: 3306, env, dataPath: '/var/lib/mysql' };
  }
  // Both names install Valkey natively (Redis publishes no binaries); its image answers as Redis does.
  const image = db.name === 'redis' ? `redis:${tag(db.spec)}` : `valkey/valkey:${tag(db.spec)}`;
  return { image, port: 6379, env: {}, dataPath: '/data' };
}

/**
 * `POLY_POSTGRES_IMAGE` (`POLY_REDIS_IMAGE`, `POLY_VALKEY_IMAGE`,
 * `POLY_MARIADB_IMAGE`): the image container mode runs instead of the
 * official one, e.g. a copy in a company registry. It must honour the
 * official image's contract (variables, port, data folder, init folder).
 */
export function databaseImageOverride(db: DatabaseSpec, env: NodeJS.ProcessEnv): string | undefined {
  return env[`POLY_${db.name.toUpperCase()}_IMAGE`]?.trim() || undefined;
}
