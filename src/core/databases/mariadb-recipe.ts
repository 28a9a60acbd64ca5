import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSpec, Manifest, ServiceSpec } from '../manifest/types.js';
import { initialiseMariadb } from './mariadb-init.js';
import { MARIADB_SOCKET, mariadbCnf, mariadbLayout } from './mariadb-server.js';
import { ensureMariadbTls } from './mariadb-tls.js';
import { databaseCredentials, databaseDataDir } from './postgres-recipe.js';

/** A constant: the install and data folders come through the environment, never spliced into a shell string. */
const RUN = 'exec "$POLY_DB_BIN/mariadbd" --defaults-file="$POLY_DB_DATA/poly.cnf" --port="$PORT"';

/**
 * The MariaDB recipe: a first run bootstraps the data folder (system tables,
 * database, user, password, init SQL); every run rewrites poly.cnf. Then
 * mariadbd runs as any native service, healthy once it sends the protocol's
 * greeting, stopped with SIGTERM (its clean shutdown). After a kill -9,
 * InnoDB's own crash recovery replays the redo log on the next start.
 */
export async function prepareMariadb(
  manifest: Manifest,
  spec: ServiceSpec & { database: DatabaseSpec },
  installDir: string,
): Promise<ServiceSpec> {
  const credentials = databaseCredentials(manifest, spec.database);
  const dataDir = databaseDataDir(manifest.root, spec.name);
  const layout = mariadbLayout(installDir);
  await initialiseMariadb({ layout, dataDir, credentials, init: spec.database.init, root: manifest.root });
  const tls = await ensureMariadbTls(dataDir);
  writeFileSync(
    join(dataDir, 'poly.cnf'),
    mariadbCnf(layout, dataDir, spec.database.config, MARIADB_SOCKET, tls),
  );
  return {
    ...spec,
    run: RUN,
    port: spec.port ?? 'auto',
    health: spec.health ?? { kind: 'mysql' },
    env: { ...spec.env, POLY_DB_BIN: layout.bin, POLY_DB_DATA: dataDir },
    stopSignal: 'SIGTERM',
  };
}
