import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectDocker } from '../../../src/core/docker/client.js';
import { checkDocker } from '../../../src/core/docker/doctor-check.js';
import {
  DEFAULT_DOCKER_SOCKET,
  describeEndpoint,
  dockerEndpoint,
} from '../../../src/core/docker/endpoint.js';
import { isPolyError } from '../../../src/core/errors.js';

describe('dockerEndpoint', () => {
  it('uses the default socket without DOCKER_HOST', () => {
    assert.deepEqual(dockerEndpoint({}), {
      kind: 'socket',
      socketPath: DEFAULT_DOCKER_SOCKET,
      fromEnv: false,
    });
  });
  it('reads a unix socket (a Podman socket looks the same)', () => {
    const e = dockerEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/podman/podman.sock' });
    assert.deepEqual(e, { kind: 'socket', socketPath: '/run/user/1000/podman/podman.sock', fromEnv: true });
    assert.equal(describeEndpoint(e), 'DOCKER_HOST=unix:///run/user/1000/podman/podman.sock');
  });
  it('reads tcp with the default port', () => {
    assert.deepEqual(dockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5' }), {
      kind: 'tcp',
      protocol: 'http',
      host: '10.0.0.5',
      port: 2375,
    });
  });
  it('rejects an address it does not understand, with a hint', () => {
    assert.throws(
      () => dockerEndpoint({ DOCKER_HOST: 'ftp://x' }),
      (err) => isPolyError(err) && err.code === 'DOCKER_HOST_INVALID' && Boolean(err.hint),
    );
  });
});

describe('connectDocker with no engine', () => {
  it('names the socket it tried and how to start the engine', async () => {
    // A socket path where nothing listens: the real failure a user without a running engine sees.
    const env = { DOCKER_HOST: 'unix:///tmp/poly-no-such-docker.sock' };
    await assert.rejects(connectDocker(env), (err) => {
      assert.ok(isPolyError(err));
      assert.equal(err.code, 'DOCKER_UNREACHABLE');
      assert.match(err.message, /DOCKER_HOST=unix:\/\/\/tmp\/poly-no-such-docker\.sock/);
      assert.match(err.hint ?? '', /DOCKER_HOST/);
      return true;
    });
  });
  it('names the default socket when DOCKER_HOST is unset', () => {
    assert.equal(describeEndpoint(dockerEndpoint({})), `the Docker socket ${DEFAULT_DOCKER_SOCKET}`);
  });
});

describe('checkDocker', () => {
  it('warns with a fix when no engine answers', async () => {
    const finding = await checkDocker({ DOCKER_HOST: 'unix:///tmp/poly-no-such-docker.sock' });
    assert.equal(finding.status, 'warn');
    assert.match(finding.message, /poly-no-such-docker\.sock/);
    assert.match(finding.fix ?? '', /DOCKER_HOST/);
  });
  it('reports an unusable DOCKER_HOST as an error', async () => {
    const finding = await checkDocker({ DOCKER_HOST: 'ftp://x' });
    assert.equal(finding.status, 'error');
    assert.ok(finding.fix);
  });
});
