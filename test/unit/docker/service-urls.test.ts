import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  effectiveMode,
  type ServiceEndpoint,
  serviceEndpoints,
} from '../../../src/core/docker/service-urls.js';
import { peerEnv } from '../../../src/core/env/service-env/peers.js';

const services: ServiceEndpoint[] = [
  { name: 'web', mode: 'native', hostPort: 3000 },
  { name: 'api-gw', mode: 'container', hostPort: 18080, containerPort: 18080 },
  { name: 'db', mode: 'container', hostPort: 15432, containerPort: 5432 },
];

describe('peerEnv', () => {
  it('points a container at the others with URL, host and port right from its side', () => {
    assert.deepEqual(peerEnv(services, 'container', 'api-gw'), {
      WEB_URL: 'http://host.docker.internal:3000',
      WEB_HOST: 'host.docker.internal',
      WEB_PORT: '3000',
      WEB_ADDR: 'host.docker.internal:3000',
      DB_URL: 'http://db:5432',
      DB_HOST: 'db',
      DB_PORT: '5432',
      DB_ADDR: 'db:5432',
    });
  });
  it('points a native process at published ports on 127.0.0.1', () => {
    assert.deepEqual(peerEnv(services, 'native', 'web'), {
      API_GW_URL: 'http://127.0.0.1:18080',
      API_GW_HOST: '127.0.0.1',
      API_GW_PORT: '18080',
      API_GW_ADDR: '127.0.0.1:18080',
      DB_URL: 'http://127.0.0.1:15432',
      DB_HOST: '127.0.0.1',
      DB_PORT: '15432',
      DB_ADDR: '127.0.0.1:15432',
    });
  });
  it('reaches a native service through its relay port from a container, and lets an endpoint add variables', () => {
    const peers: ServiceEndpoint[] = [
      { name: 'web', mode: 'native', hostPort: 3000, relayPort: 45001 },
      {
        name: 'db',
        mode: 'container',
        hostPort: 15432,
        containerPort: 5432,
        // What a database recipe adds: a DSN that replaces the http URL.
        variables: ({ host, port }) => ({ URL: `postgres://dev@${host}:${port}/shop`, USER: 'dev' }),
      },
    ];
    const env = peerEnv(peers, 'container', 'api');
    assert.equal(env.WEB_ADDR, 'host.docker.internal:45001');
    assert.equal(env.DB_URL, 'postgres://dev@db:5432/shop');
    assert.equal(env.DB_USER, 'dev');
    assert.equal(peerEnv(peers, 'native', 'api').DB_URL, 'postgres://dev@127.0.0.1:15432/shop');
  });
});

describe('serviceEndpoints', () => {
  const services = [
    { name: 'web', mode: 'native' as const, port: 'auto' as const },
    { name: 'api', mode: 'container' as const, port: 3000 },
    { name: 'db', mode: 'container' as const, image: 'postgres:16', port: 5432 },
    { name: 'worker', mode: 'native' as const },
  ];
  const ports = { web: 41000, api: 3000, db: 15432 };

  it('places image services in containers at their own port and skips services without a port', () => {
    assert.deepEqual(serviceEndpoints(services, ports, {}), [
      { name: 'web', mode: 'native', hostPort: 41000 },
      { name: 'api', mode: 'container', hostPort: 3000, containerPort: 3000 },
      { name: 'db', mode: 'container', hostPort: 15432, containerPort: 5432 },
    ]);
  });
  it('puts every service in a container with poly up --container or [project] mode', () => {
    for (const endpoints of [
      serviceEndpoints(services, ports, {}, { allContainers: true }),
      serviceEndpoints(services, ports, { mode: 'container' }),
    ]) {
      assert.deepEqual(
        endpoints.map((e) => e.mode),
        ['container', 'container', 'container'],
      );
    }
  });
  it('lets a service written as mode = "native" stay native under [project] mode and --container', () => {
    const own = { name: 'api', mode: 'native' as const, modeWritten: true };
    assert.equal(effectiveMode(own, { mode: 'container' }), 'native');
    assert.equal(effectiveMode(own, {}, { allContainers: true }), 'native');
    assert.equal(effectiveMode(own, {}, { allContainers: true, named: ['api'] }), 'container');
    assert.equal(effectiveMode({ name: 'web', mode: 'native' }, { mode: 'container' }), 'container');
  });
  it('agrees with effectiveMode', () => {
    assert.equal(effectiveMode({ mode: 'native' }, {}), 'native');
    assert.equal(effectiveMode({ mode: 'native', build: 'Dockerfile' }, {}), 'container');
  });
});
