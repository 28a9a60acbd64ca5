import { basename } from 'node:path';
import { dockerSafeName, type ProjectRef, projectSlug } from '../docker/labels.js';
import type { ContainerExtras, DatabaseSpec, Manifest, ServiceSpec } from '../manifest/types.js';
import { databaseImageOverride, officialDatabaseImage } from './official-image.js';
import { databaseCredentials } from './postgres-recipe.js';

/** Where the official images run init files from, once, on an empty data folder. */
const INIT_DIR = '/docker-entrypoint-initdb.d';

/** `<project slug>-data-<service>`: one volume per project and service, kept by `poly down`. */
export function databaseVolumeName(project: ProjectRef, service: string): string {
  return `${projectSlug(project)}-data-${dockerSafeName(service) || 'service'}`;
}

/**
 * Init files in poly.toml's order: the images run the folder sorted by name,
 * so each gets a numbered prefix (`01-schema.sql`, `02-seed.sql`).
 */
function initBinds(init: readonly string[]): ContainerExtras['binds'] {
  const width = String(init.length).length + 1;
  return init.map((source, i) => ({
    source,
    target: `${INIT_DIR}/${String(i + 1).padStart(width, '0')}-${basename(source)}`,
    readOnly: true,
  }));
}

/**
 * The server's command with poly.toml's `config`, as arguments (never a shell
 * string): postgres `-c key=value`, mariadbd `--key=value`; redis/valkey get
 * the append-only file (so a kill loses nothing acknowledged, as natively) and the password.
 */
function serverCmd(db: DatabaseSpec): string[] | undefined {
  const config = Object.entries(db.config);
  if (db.name === 'postgres')
    return config.length ? ['postgres', ...config.flatMap(([k, v]) => ['-c', `${k}=${v}`])] : undefined;
  if (db.name === 'mariadb')
    return config.length ? ['mariadbd', ...config.map(([k, v]) => `--${k}=${v}`)] : undefined;
  const server = db.name === 'redis' ? 'redis-server' : 'valkey-server';
  return [
    server,
    '--appendonly',
    'yes',
    ...(db.password ? ['--requirepass', db.password] : []),
    ...config.flatMap(([k, v]) => [`--${k}`, v]),
  ];
}

/**
 * A `use` database in container mode: the official image of its version (or
 * POLY_<NAME>_IMAGE), its documented credential variables, its data in a named
 * volume, init files in its init folder; healthy on the same protocol
 * handshake as natively, through the published port. `port` becomes the
 * image's own port inside; the host port stays the one poly.toml asks for.
 */
export function prepareDatabaseContainer(
  manifest: Manifest,
  spec: ServiceSpec & { database: DatabaseSpec },
  env: NodeJS.ProcessEnv,
): ServiceSpec {
  const db = spec.database;
  const official = officialDatabaseImage(manifest, db);
  const cmd = serverCmd(db);
  const health =
    db.name === 'postgres'
      ? ({ kind: 'postgres', user: databaseCredentials(manifest, db).user } as const)
      : db.name === 'mariadb'
        ? ({ kind: 'mysql' } as const)
        : ({ kind: 'redis' } as const);
  return {
    ...spec,
    image: databaseImageOverride(db, env) ?? official.image,
    port: official.port,
    health: spec.health ?? health,
    env: { ...official.env, ...spec.env },
    container: {
      volumes: [
        {
          name: databaseVolumeName({ name: manifest.project.name, root: manifest.root }, spec.name),
          target: official.dataPath,
        },
      ],
      binds: initBinds(db.init),
      ...(cmd ? { cmd } : {}),
    },
  };
}
