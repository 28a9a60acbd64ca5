import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  databaseVolumeName,
  prepareDatabaseContainer,
} from '../../../src/core/databases/container-recipe.js';
import type { DatabaseSpec, Manifest, ServiceSpec } from '../../../src/core/manifest/types.js';

const manifest = { project: { name: 'shop' }, root: '/work/shop' } as Manifest;

function dbService(
  database: DatabaseSpec,
  extra: Partial<ServiceSpec> = {},
): ServiceSpec & { database: DatabaseSpec } {
  return { name: 'db', mode: 'container', env: {}, database, ...extra } as ServiceSpec & {
    database: DatabaseSpec;
  };
}

describe('a use database in container mode', () => {
  it('runs the official postgres image with its variables, a data volume and the init files in order', () => {
    const db: DatabaseSpec = {
      name: 'postgres',
      spec: '16',
      init: ['/work/shop/db/schema.sql', '/work/shop/db/seed.sql'],
      config: {},
    };
    const spec = prepareDatabaseContainer(manifest, dbService(db, { port: 5433 }), {});
    assert.equal(spec.image, 'postgres:16');
    assert.equal(
      spec.port,
      5432,
      "the image's own port inside (the host port was assigned from poly.toml's)",
    );
    assert.deepEqual(spec.health, { kind: 'postgres', user: 'dev' });
    assert.deepEqual(spec.env, {
      POSTGRES_USER: 'dev',
      POSTGRES_PASSWORD: 'dev',
      POSTGRES_DB: 'shop',
      PGDATA: '/var/lib/postgresql/data/pgdata',
    });
    assert.deepEqual(spec.container, {
      volumes: [
        {
          name: databaseVolumeName({ name: 'shop', root: '/work/shop' }, 'db'),
          target: '/var/lib/postgresql/data',
        },
      ],
      binds: [
        {
          source: '/work/shop/db/schema.sql',
          target: '/docker-entrypoint-initdb.d/01-schema.sql',
          readOnly: true,
        },
        {
          source: '/work/shop/db/seed.sql',
          target: '/docker-entrypoint-initdb.d/02-seed.sql',
          readOnly: true,
        },
      ],
    });
  });

  it('passes config as server arguments, never through a shell', () => {
    const pg = prepareDatabaseContainer(
      manifest,
      dbService({ name: 'postgres', spec: '16', init: [], config: { max_connections: '50; rm -rf /' } }),
      {},
    );
    assert.deepEqual(pg.container?.cmd, ['postgres', '-c', 'max_connections=50; rm -rf /']);
    assert.equal(pg.run, undefined);
    const valkey = prepareDatabaseContainer(
      manifest,
      dbService({ name: 'valkey', spec: '8', password: 's3cret', init: [], config: { maxmemory: '64mb' } }),
      {},
    );
    assert.equal(valkey.image, 'valkey/valkey:8');
    assert.deepEqual(valkey.container?.cmd, [
      'valkey-server',
      '--appendonly',
      'yes',
      '--requirepass',
      's3cret',
      '--maxmemory',
      '64mb',
    ]);
  });

  it('runs the image POLY_<NAME>_IMAGE names instead of the official one', () => {
    const db: DatabaseSpec = { name: 'mariadb', spec: '11', init: [], config: {} };
    assert.equal(prepareDatabaseContainer(manifest, dbService(db), {}).image, 'mariadb:11');
    const spec = prepareDatabaseContainer(manifest, dbService(db), {
      POLY_MARIADB_IMAGE: 'registry.internal/mariadb:11',
    });
    assert.equal(spec.image, 'registry.internal/mariadb:11');
    assert.equal(spec.port, 3306);
  });

  it('names one volume per project folder and service', () => {
    const a = databaseVolumeName({ name: 'shop', root: '/a/shop' }, 'db');
    assert.notEqual(a, databaseVolumeName({ name: 'shop', root: '/b/shop' }, 'db'));
    assert.notEqual(a, databaseVolumeName({ name: 'shop', root: '/a/shop' }, 'cache'));
  });
});
