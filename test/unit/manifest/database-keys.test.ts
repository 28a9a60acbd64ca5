import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PolyError } from '../../../src/core/errors.js';
import { parseManifest } from '../../../src/core/manifest/load.js';

const parse = (body: string) =>
  parseManifest(`[project]\nname = "shop"\n\n${body}`, '/p/poly.toml', 'poly.toml');
const fails = (body: string, message: RegExp, hint?: RegExp) =>
  assert.throws(
    () => parse(body),
    (err: PolyError) => {
      assert.match(err.message, message);
      if (hint) assert.match(err.hint ?? '', hint);
      return err.code === 'MANIFEST_INVALID' && err.exitCode === 2;
    },
  );

describe('[services] use = "<database>@<version>"', () => {
  it('types the database keys; a use service needs no run', () => {
    const m = parse(
      '[services.db]\nuse = "postgres@16"\ninit = ["db/a.sql"]\nconfig = { max_connections = 50, fsync = true }\n',
    );
    assert.deepEqual(m.services.db?.database, {
      name: 'postgres',
      spec: '16',
      init: ['/p/db/a.sql'],
      config: { max_connections: '50', fsync: 'true' },
    });
    assert.equal(m.services.db?.run, undefined);
    assert.equal(m.services.db?.port, 'auto');
    assert.equal(parse('[services.db]\nuse = "postgres"\n').services.db?.database?.spec, 'latest');
  });

  it('refuses an unknown database with a guess, and a spec that is no version', () => {
    fails(
      '[services.db]\nuse = "postgress@16"\n',
      /poly\.toml:5:1: services\.db\.use: unknown database "postgress" \(known: postgres, redis, valkey, mariadb\)\. Did you mean "postgres"\?/,
    );
    fails('[services.db]\nuse = "postgres@sixteen"\n', /"sixteen" is not a version/, /use = "postgres@16"/);
    fails('[services.db]\nuse = 16\n', /services\.db\.use must be a string like "postgres@16", got 16/);
  });

  it('refuses run, image or build beside use, and database keys without it', () => {
    fails(
      '[services.db]\nuse = "postgres@16"\nrun = "postgres"\n',
      /poly\.toml:6:1: services\.db uses postgres, so poly runs it; run contradicts use/,
    );
    fails('[services.db]\nuse = "postgres@16"\nimage = "postgres:16"\n', /image contradicts use/);
    fails(
      '[services.api]\nrun = "x"\npassword = "dev"\n',
      /services\.api\.password only applies to a database service/,
    );
  });

  it('takes password and config for redis and valkey, and refuses what only PostgreSQL has', () => {
    const m = parse('[services.cache]\nuse = "valkey@8"\npassword = "pw"\nconfig = { maxmemory = "64mb" }\n');
    assert.deepEqual(m.services.cache?.database, {
      name: 'valkey',
      spec: '8',
      password: 'pw',
      init: [],
      config: { maxmemory: '64mb' },
    });
    fails(
      '[services.cache]\nuse = "redis@7"\ninit = ["x.sql"]\n',
      /services\.cache\.init does not apply to redis/,
    );
    fails(
      '[services.cache]\nuse = "redis@7"\nuser = "app"\n',
      /services\.cache\.user does not apply to redis/,
    );
  });

  it('takes database, user, password and init for mariadb; refuses mysql with the way out', () => {
    const m = parse('[services.db]\nuse = "mariadb@11"\ndatabase = "shop"\nuser = "app"\npassword = "pw"\n');
    assert.deepEqual(m.services.db?.database, {
      name: 'mariadb',
      spec: '11',
      database: 'shop',
      user: 'app',
      password: 'pw',
      init: [],
      config: {},
    });
    fails(
      '[services.db]\nuse = "mysql@8"\n',
      /poly\.toml:5:1: services\.db\.use: poly cannot install MySQL natively: MySQL publishes an MD5 and a GPG signature for its tarballs on its download pages but no checksum file, and poly verifies no GPG signatures$/m,
      /use = "mariadb@11".*image = "mysql:8"/,
    );
  });

  it('checks names, init files and config values', () => {
    fails('[services.db]\nuse = "postgres@16"\nuser = "a b"\n', /services\.db\.user must be a user name/);
    fails(
      '[services.db]\nuse = "postgres@16"\ninit = "schema.sql"\n',
      /init must be an array of SQL file paths/,
    );
    fails(
      '[services.db]\nuse = "postgres@16"\ninit = ["../outside.sql"]\n',
      /services\.db\.init\.0 "\.\.\/outside\.sql" is outside the project folder/,
    );
    fails(
      '[services.db]\nuse = "postgres@16"\nconfig = { "Bad-Key" = "1" }\n',
      /config\.Bad-Key must be a setting name/,
    );
    fails(
      '[services.db]\nuse = "postgres@16"\nconfig = { work_mem = "4MB\\nfsync = off" }\n',
      /config\.work_mem must be a setting name with a string, number or boolean value on one line/,
    );
  });
});
