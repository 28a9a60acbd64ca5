import { join } from 'node:path';
import type { DatabaseSpec, Manifest, ServiceSpec } from '../manifest/types.js';
import type { DatabaseCredentials } from './peer-env.js';
import { initialisePostgres, writePolyConf } from './postgres-init.js';
import { unprivilegedPrefix } from './postgres-server.js';

/** The dev login of a database service that names none (shown by `poly ps` and `poly db url`). */
export const DEFAULT_USER = 'dev';
export const DEFAULT_PASSWORD = 'dev';

/** `.poly/data/<service>`: the data folder of a native database service. */
export function databaseDataDir(root: string, service: string): string {
  return join(root, '.poly', 'data', service);
}

/** database = the project's name (as an identifier), user and password = dev, unless poly.toml says. */
export function databaseCredentials(
  manifest: Pick<Manifest, 'project'>,
  db: DatabaseSpec,
): DatabaseCredentials {
  return {
    user: db.user ?? DEFAULT_USER,
    password: db.password ?? DEFAULT_PASSWORD,
    database: db.database ?? (manifest.project.name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 63) || 'dev'),
  };
}

/**
 * The postgres command line. A constant: the install's bin folder and the
 * data folder come in through the environment, so no path is ever spliced
 * into a shell string. `exec` makes postgres the service's main process.
 */
const RUN = 'exec "$POLY_DB_BIN/postgres" -D "$POLY_DB_DATA" -p "$PORT"';
const RUN_UNPRIVILEGED = 'exec unshare --user "$POLY_DB_BIN/postgres" -D "$POLY_DB_DATA" -p "$PORT"';

/**
 * The recipe's start: a first run initialises the data folder (database,
 * user, password, init SQL); every run rewrites poly.conf. The service then
 * runs as any native service: postgres on the data folder, healthy once it
 * answers the startup handshake, stopped with SIGINT (fast shutdown, so open
 * connections do not hold `poly down` up). Crash recovery after a kill -9 is
 * PostgreSQL's own, on the next start.
 */
export async function preparePostgres(
  manifest: Manifest,
  spec: ServiceSpec & { database: DatabaseSpec },
  binDir: string,
  os: string,
): Promise<{ spec: ServiceSpec; credentials: DatabaseCredentials }> {
  const credentials = databaseCredentials(manifest, spec.database);
  const dataDir = databaseDataDir(manifest.root, spec.name);
  await initialisePostgres({
    binDir,
    dataDir,
    credentials,
    init: spec.database.init,
    root: manifest.root,
    os,
  });
  writePolyConf(dataDir, spec.database.config);
  const run = unprivilegedPrefix(os).length ? RUN_UNPRIVILEGED : RUN;
  return {
    credentials,
    spec: {
      ...spec,
      run,
      port: spec.port ?? 'auto',
      health: spec.health ?? { kind: 'postgres', user: credentials.user, dataDir },
      env: { ...spec.env, POLY_DB_BIN: binDir, POLY_DB_DATA: dataDir },
      stopSignal: 'SIGINT',
    },
  };
}
