import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  effectiveMode,
  peerEnv,
  portsToForward,
  type ServiceEndpoint,
  serviceEndpoints,
  serviceUrlEnv,
  urlVariable,
} from '../../../src/core/docker/service-urls.js';

const services: ServiceEndpoint[] = [
  { name: 'web', mode: 'native', hostPort: 3000 },
  { name: 'api-gw', mode: 'container', hostPort: 18080, containerPort: 18080 },
  { name: 'db', mode: 'container', hostPort: 15432, containerPort: 5432 },
];

describe('serviceUrlEnv', () => {
  it('gives a native process 127.0.0.1 and the published ports', () => {
    assert.deepEqual(serviceUrlEnv(services, 'native'), {
      WEB_URL: 'http://127.0.0.1:3000',
      API_GW_URL: 'http://127.0.0.1:18080',
      DB_URL: 'http://127.0.0.1:15432',
    });
  });
  it('gives a container service names for containers and the host alias for native services', () => {
    assert.deepEqual(serviceUrlEnv(services, 'container'), {
      WEB_URL: 'http://host.docker.internal:3000',
      API_GW_URL: 'http://api-gw:18080',
      DB_URL: 'http://db:5432',
    });
  });
  it('names variables after the service', () => {
    assert.equal(urlVariable('api-gw'), 'API_GW_URL');
  });
});

describe('peerEnv', () => {
  it('points a container at the others with URL, host and port right from its side', () => {
    assert.deepEqual(peerEnv(services, 'container', 'api-gw'), {
      WEB_URL: 'http://host.docker.internal:3000',
      WEB_HOST: 'host.docker.internal',
      WEB_PORT: '3000',
      DB_URL: 'http://db:5432',
      DB_HOST: 'db',
      DB_PORT: '5432',
    });
  });
  it('points a native process at published ports on 127.0.0.1', () => {
    assert.deepEqual(peerEnv(services, 'native', 'web'), {
      API_GW_URL: 'http://127.0.0.1:18080',
      API_GW_HOST: '127.0.0.1',
      API_GW_PORT: '18080',
      DB_URL: 'http://127.0.0.1:15432',
      DB_HOST: '127.0.0.1',
      DB_PORT: '15432',
    });
  });
});

describe('portsToForward', () => {
  it('forwards the native ports when a container may need them', () => {
    assert.deepEqual(portsToForward(services), [3000]);
  });
  it('forwards nothing when no service runs in a container', () => {
    assert.deepEqual(portsToForward([{ name: 'web', mode: 'native', hostPort: 3000 }]), []);
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
  it('agrees with effectiveMode', () => {
    assert.equal(effectiveMode({ mode: 'native' }, {}), 'native');
    assert.equal(effectiveMode({ mode: 'native', build: 'Dockerfile' }, {}), 'container');
  });
});
