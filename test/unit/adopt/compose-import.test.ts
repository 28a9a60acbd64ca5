import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { manifestReadsEnvFile } from '../../../src/core/adopt/env-file-support.js';
import { planAdoption } from '../../../src/core/adopt/plan.js';
import { PolyError } from '../../../src/core/errors.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { planInit, selectEverything, writeInit } from '../../../src/services/new/init.js';
import { tempHome } from '../../helpers/poly-cli.js';
import { writeTree } from './repo-tree.js';

const COMPOSE = `name: shop
x-common: &common
  restart: unless-stopped
services:
  db:
    <<: *common
    image: postgres:16
    container_name: shop-db
    ports:
      - "5433:5432"
    environment:
      POSTGRES_PASSWORD: dev
      POSTGRES_DB: \${DB_NAME:-shop}
      PGTZ:
      spring.datasource.url: jdbc:postgresql://db/shop
    env_file:
      - .env
      - path: .env.local
        required: false
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 5s
      timeout: 3s
      retries: 10
      start_period: 1m30s
    volumes:
      - pgdata:/var/lib/postgresql/data
  api:
    build:
      context: ./api
    command: uvicorn app.main:app --host 0.0.0.0 --port 8000
    ports: ["8000:8000"]
    environment:
      - DATABASE_URL=postgres://postgres:dev@db:5432/shop
    depends_on:
      db:
        condition: service_healthy
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8000/health"]
      interval: 10s
    volumes:
      - ./api:/app
  proxy:
    build:
      context: ./proxy
      args:
        VERSION: "1"
    ports:
      - 8080:80
      - 8443:443
    depends_on: [api]
    networks: [front]
volumes:
  pgdata:
networks:
  front:
`;

describe('compose file import', () => {
  const home = tempHome();
  after(home.cleanup);

  it('maps image, ports, env, env_file, depends_on, healthcheck and build; a built folder poly knows runs natively', async () => {
    const dir = writeTree(join(home.dir, 'shop'), {
      'compose.yaml': COMPOSE,
      'api/.python-version': '3.12\n',
      'api/requirements.txt': 'fastapi\nuvicorn\n',
      'api/app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      'api/Dockerfile': 'FROM python:3.12\n',
      'proxy/Dockerfile': 'FROM nginx\n',
    });
    const a = await planAdoption(dir, 'shop');
    const by = Object.fromEntries(a.services.map((s) => [s.name, s]));
    assert.deepEqual(Object.keys(by), ['db', 'api', 'proxy']);
    assert.deepEqual(by.db, {
      name: 'db',
      source: 'compose.yaml:5',
      image: 'postgres:16',
      port: 5432,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose/shell ${VAR} syntax, kept as written
      env: { POSTGRES_PASSWORD: 'dev', POSTGRES_DB: '${DB_NAME:-shop}' },
      env_file: ['.env', { path: '.env.local', required: false }],
      health: { tcp: 5432, interval: '5s', timeout: '3s', start_period: '90s', retries: 10 },
      restart: 'always',
    });
    assert.deepEqual(by.api, {
      name: 'api',
      source: 'compose.yaml:28',
      path: 'api',
      runtime: 'python',
      run: 'uvicorn app.main:app --host 127.0.0.1 --port $PORT',
      port: 8000,
      env: { DATABASE_URL: 'postgres://postgres:dev@db:5432/shop' },
      depends_on: ['db'],
      health: { path: '/health', interval: '10s' },
    });
    assert.deepEqual(by.proxy, {
      name: 'proxy',
      source: 'compose.yaml:43',
      build: 'proxy/Dockerfile',
      port: 80,
      depends_on: ['api'],
    });
    // Each compose feature poly has no equivalent for is named, with what was done instead.
    const said = a.notes.map((n) => `${n.file}: ${n.message}`).join('\n');
    for (const expected of [
      /compose\.yaml:5: services\.db: ports 5433:5432: .*127\.0\.0\.1:5432/,
      /services\.db: environment PGTZ: compose takes it from your shell/,
      /services\.db: healthcheck `pg_isready -U postgres` runs inside the container .* checks that port 5432/,
      /services\.db: volumes pgdata:\/var\/lib\/postgresql\/data: poly\.toml has no volumes/,
      /services\.db: environment spring\.datasource\.url: poly\.toml takes variable names of letters, digits and _ only; left out/,
      /services\.db: container_name: .*poly names containers/,
      /services\.db: restart unless-stopped: .*restart = "always"/,
      /services\.api: builds api, which poly runs natively: python service/,
      /services\.api: command: replaced by the native run command/,
      /services\.api: env DATABASE_URL names db, a compose host name; .* DB_HOST, DB_PORT and DB_URL for db instead/,
      /services\.api: volumes \.\/api:\/app: not needed/,
      /services\.proxy: ports: poly gives a service one port; kept 8080:80 and left out "8443:443"/,
      /services\.proxy: build\.args: poly builds without it/,
      /services\.proxy: networks: .*one network/,
      /compose\.yaml: top-level volumes: poly\.toml has no volumes/,
      /compose\.yaml: top-level networks: /,
    ])
      assert.match(said, expected);
    // The native folder is not proposed a second time by the walk.
    assert.equal(a.services.filter((s) => s.path === 'api').length, 1);
    assert.deepEqual(a.imported, ['compose.yaml']);
  });

  it('writes a poly.toml that the real validator accepts, with env_file in the manifest form when it reads one', async () => {
    const dir = writeTree(join(home.dir, 'shop-written'), {
      'compose.yaml': COMPOSE,
      'api/.python-version': '3.12\n',
      'api/requirements.txt': 'fastapi\nuvicorn\n',
      'api/app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      'proxy/Dockerfile': 'FROM nginx\n',
    });
    const plan = await planInit(dir);
    const result = writeInit(plan, selectEverything(plan), { dryRun: true });
    const m = parseManifest(result.manifest, join(dir, 'poly.toml'));
    assert.deepEqual(m.services.api?.dependsOn, ['db']);
    assert.deepEqual(m.services.db?.healthTiming, {
      interval: 5000,
      timeout: 3000,
      retries: 10,
      startPeriod: 90_000,
    });
    assert.match(result.manifest, /^\[services\.db\] +# from compose\.yaml:5$/m);
    assert.match(result.manifest, /^\[services\.api\] +# from compose\.yaml:28$/m);
    assert.match(result.manifest, /^python = "3\.12" +# from api\/\.python-version$/m);
    // env_file is being added to the manifest beside this work: written as a key once the validator reads it.
    const envFile = 'env_file = [".env", { path = ".env.local", required = false }]';
    if (manifestReadsEnvFile(join(dir, 'poly.toml'), envFile.slice('env_file = '.length)))
      assert.ok(result.manifest.includes(`\n${envFile}\n`));
    else assert.ok(result.manifest.includes(`\n# ${envFile}  # this poly does not read env_file yet`));
  });

  it('refuses a compose file that is not YAML, at its line, and writes nothing', async () => {
    const dir = writeTree(join(home.dir, 'bad-yaml'), {
      'compose.yaml': 'services:\n  db:\n    image: postgres\n   ports: ["5432"]\n',
    });
    await assert.rejects(
      () => planInit(dir),
      (err: unknown) =>
        err instanceof PolyError &&
        /^compose\.yaml:4:\d+: not valid YAML/.test(err.message) &&
        err.exitCode === 2,
    );
  });
});

describe('compose services poly cannot take as they are', () => {
  const home = tempHome();
  after(home.cleanup);

  it('reads a port compose interpolates (API_PORT with a default of 8000), and names every port it leaves out', async () => {
    const dir = writeTree(join(home.dir, 'interpolated-ports'), {
      'compose.yaml': `services:\n  app:\n    image: example/app:1\n    ports:\n      - "\${API_PORT:-8000}:8000"\n  admin:\n    image: example/admin:1\n    ports:\n      - "127.0.0.1:\${ADMIN_PORT}:9000"\n  dns:\n    image: example/dns:1\n    ports:\n      - "53:53/udp"\n      - "\${DNS_PORT}:\${DNS_PORT}"\n`,
    });
    const plan = await planInit(dir);
    const result = writeInit(plan, selectEverything(plan), { dryRun: true });
    const port = (name: string) => result.services.find((s) => s.name === name)?.port;
    assert.equal(port('app'), 8000);
    assert.equal(port('admin'), 9000);
    assert.equal(port('dns'), undefined);
    const said = result.notes.map((n) => `${n.file}: ${n.message}`).join('\n');
    assert.match(
      said,
      /services\.dns: ports: poly gives a service one port; kept none and left out "53:53\/udp", "\$\{DNS_PORT\}:\$\{DNS_PORT\}"$/m,
    );
    assert.doesNotMatch(said, /services\.(app|admin): ports/);
    parseManifest(result.manifest, join(dir, 'poly.toml'));
  });

  it('leaves out a build outside the repo and a service with nothing to start, saying so; the rest still validates', async () => {
    const dir = writeTree(join(home.dir, 'odd'), {
      'compose.yaml':
        'services:\n  shared:\n    build: ../platform/proxy\n  base:\n    extends:\n      file: common.yml\n      service: web\n  ok:\n    image: redis:7\n    depends_on: [shared]\n',
    });
    const plan = await planInit(dir);
    const result = writeInit(plan, selectEverything(plan), { dryRun: true });
    assert.deepEqual(
      result.services.map((s) => [s.name, s.image, s.depends_on]),
      [['ok', 'redis:7', undefined]],
    );
    const said = result.notes.map((n) => `${n.file}: ${n.message}`).join('\n');
    assert.match(said, /compose\.yaml:2: services\.shared: build \.\.\/platform\/proxy: outside the repo/);
    assert.match(said, /services\.shared: has no image, no build inside the repo .*not imported/);
    assert.match(said, /services\.base: extends: poly\.toml has no equivalent/);
    assert.match(said, /ok: depends_on shared left out \(not in poly\.toml\)/);
    parseManifest(result.manifest, join(dir, 'poly.toml'));
  });
});
