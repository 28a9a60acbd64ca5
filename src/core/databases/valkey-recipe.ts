import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSpec, Manifest, ServiceSpec } from '../manifest/types.js';
import { databaseDataDir } from './postgres-recipe.js';

/** A value in valkey.conf: quoted, with the quote and backslash escaped. */
function confValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The server's config: loopback only, the data folder, the append-only file (so a kill -9 loses nothing acknowledged). */
export function valkeyConf(dataDir: string, db: DatabaseSpec): string {
  const lines = [
    'bind 127.0.0.1',
    'protected-mode yes',
    'daemonize no',
    `dir ${confValue(dataDir)}`,
    'appendonly yes',
    // Every write on disk before it is acknowledged: a dev database is small, and a kill -9 then loses nothing.
    'appendfsync always',
  ];
  if (db.password) lines.push(`requirepass ${confValue(db.password)}`);
  for (const [key, value] of Object.entries(db.config)) lines.push(`${key} ${confValue(value)}`);
  return `# Written by poly before every start; edit [services] config in poly.toml instead.\n${lines.join('\n')}\n`;
}

const RUN = 'exec "$POLY_DB_BIN/valkey-server" "$POLY_DB_DATA/poly.conf" --port "$PORT"';

/**
 * The Redis-compatible recipe: nothing to initialise (the server makes its
 * files on first write); the data folder holds the config poly writes, the
 * RDB and the append-only file. Healthy once it answers PING. SIGTERM makes it save and exit.
 */
export function prepareValkey(
  manifest: Manifest,
  spec: ServiceSpec & { database: DatabaseSpec },
  binDir: string,
): ServiceSpec {
  const dataDir = databaseDataDir(manifest.root, spec.name);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dataDir, 'poly.conf'), valkeyConf(dataDir, spec.database));
  return {
    ...spec,
    run: RUN,
    port: spec.port ?? 'auto',
    health: spec.health ?? { kind: 'redis' },
    env: { ...spec.env, POLY_DB_BIN: binDir, POLY_DB_DATA: dataDir },
  };
}
