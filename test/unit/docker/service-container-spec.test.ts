import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSafeMounts, configHash, toCreateOptions } from '../../../src/core/docker/container-spec.js';
import { LABEL_CONFIG_HASH, LABEL_PROJECT, LABEL_SERVICE } from '../../../src/core/docker/labels.js';
import {
  type ServiceContainerInput,
  serviceContainerSpec,
  serviceImage,
} from '../../../src/core/docker/service-container-spec.js';
import { isPolyError } from '../../../src/core/errors.js';
import type { ServiceSpec } from '../../../src/core/manifest/types.js';

const root = '/home/ann/shop';
const nodeDir = '/home/ann/.local/share/poly/installs/node/22.11.0';

function service(overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name: 'api',
    path: `${root}/services/api`,
    relativePath: 'services/api',
    runtime: 'node',
    run: 'node server.js',
    port: 3000,
    healthTiming: { interval: 500, timeout: 1000, retries: 3 },
    dependsOn: [],
    env: {},
    restart: 'on-failure',
    stopTimeout: 5000,
    mode: 'container',
    ...overrides,
  };
}

function input(overrides: Partial<ServiceContainerInput> = {}): ServiceContainerInput {
  const project = { name: 'shop', root };
  const svc = overrides.service ?? service();
  return {
    project,
    service: svc,
    // As renderContainerEnv() makes it (test/unit/env/service-env.test.ts): already container paths.
    env: { PATH: '/opt/poly/node/22.11.0/bin:/usr/bin', PORT: '3000' },
    port: 3000,
    toolchains: [{ runtime: 'node', version: '22.11.0', dir: nodeDir }],
    image: serviceImage(project, svc),
    network: { name: 'poly-shop-abc' },
    hostGateway: '172.18.0.1',
    cacheVolume: 'poly-shop-abc-cache-npm',
    ...overrides,
  };
}

describe('serviceContainerSpec', () => {
  it('runs a runtime service in the base image with the toolchain read-only and the project read-write', () => {
    const spec = serviceContainerSpec(input());
    assert.equal(spec.image, 'debian:bookworm-slim');
    assert.deepEqual(spec.cmd, ['/bin/sh', '-c', 'node server.js']);
    assert.equal(spec.workingDir, `${root}/services/api`);
    assert.deepEqual(spec.binds, [
      { source: root, target: root, readOnly: false },
      { source: nodeDir, target: '/opt/poly/node/22.11.0', readOnly: true },
      // Also at its own path: venvs and the like point at the install by its host path.
      { source: nodeDir, target: nodeDir, readOnly: true },
    ]);
    assert.equal(spec.env.PATH?.split(':')[0], '/opt/poly/node/22.11.0/bin');
    assert.equal(spec.env.npm_config_cache, '/poly-cache/npm');
    assert.equal(spec.env.HOME, undefined);
    assert.deepEqual(spec.ports, [{ container: 3000, host: 3000 }]);
    assert.deepEqual(spec.extraHosts, ['host.docker.internal:172.18.0.1']);
    assert.equal(spec.labels[LABEL_PROJECT], 'shop');
    assert.equal(spec.labels[LABEL_SERVICE], 'api');
    assert.equal(spec.labels[LABEL_CONFIG_HASH], configHash(spec));
  });
  it('runs an image service with its own command and port, without mounts', () => {
    const svc = service({ name: 'db', image: 'postgres:16', port: 5432, run: undefined, runtime: undefined });
    const spec = serviceContainerSpec(
      input({
        service: svc,
        image: serviceImage({ name: 'shop', root }, svc),
        port: 15432,
        env: { PORT: '5432' },
      }),
    );
    assert.equal(spec.image, 'postgres:16');
    assert.equal(spec.cmd, undefined);
    assert.deepEqual(spec.binds, []);
    assert.deepEqual(spec.ports, [{ container: 5432, host: 15432 }]);
    assert.equal(spec.env.PATH, undefined);
  });
  it('uses [project] base_image', () => {
    const project = { name: 'shop', root, baseImage: 'ubuntu:24.04' };
    assert.deepEqual(serviceImage(project, service()), { kind: 'runtime', ref: 'ubuntu:24.04' });
  });
  it('changes the hash when the config changes, and only then', () => {
    const a = serviceContainerSpec(input());
    const b = serviceContainerSpec(input());
    const c = serviceContainerSpec(
      input({ env: { PATH: '/opt/poly/node/22.11.0/bin', PORT: '3000', GREETING: 'hi' } }),
    );
    const d = serviceContainerSpec(input({ imageId: 'sha256:other' }));
    assert.equal(a.labels[LABEL_CONFIG_HASH], b.labels[LABEL_CONFIG_HASH]);
    assert.notEqual(a.labels[LABEL_CONFIG_HASH], c.labels[LABEL_CONFIG_HASH]);
    assert.notEqual(a.labels[LABEL_CONFIG_HASH], d.labels[LABEL_CONFIG_HASH]);
  });
});

describe('container safety', () => {
  const policy = { projectRoot: root, toolchainDirs: [nodeDir] };
  it('publishes on 127.0.0.1 only and never runs privileged', () => {
    const opts = toCreateOptions(serviceContainerSpec(input()));
    assert.deepEqual(opts.HostConfig?.PortBindings, {
      '3000/tcp': [{ HostIp: '127.0.0.1', HostPort: '3000' }],
    });
    assert.equal(opts.HostConfig?.Privileged, false);
    assert.equal(opts.HostConfig?.CapAdd, undefined);
  });
  it('accepts the project and read-only toolchains', () => {
    assertSafeMounts(serviceContainerSpec(input()), policy);
  });
  for (const [what, bind] of [
    [
      'the Docker socket',
      { source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false },
    ],
    ['a folder outside the project', { source: '/home/ann/.ssh', target: '/root/.ssh', readOnly: true }],
    ['a writable toolchain', { source: nodeDir, target: '/opt/poly/node/22.11.0', readOnly: false }],
    ['a sibling with the project as prefix', { source: `${root}-secrets`, target: '/s', readOnly: true }],
  ] as const) {
    it(`refuses ${what}`, () => {
      const spec = serviceContainerSpec(input());
      spec.binds.push({ ...bind });
      assert.throws(
        () => assertSafeMounts(spec, policy),
        (err) => isPolyError(err) && err.code === 'DOCKER_UNSAFE_MOUNT',
      );
    });
  }
});
