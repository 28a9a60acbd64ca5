import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeProjectResources } from '../../../src/core/docker/cleanup.js';
import { ContainerRunner } from '../../../src/core/docker/container-service.js';
import { checkDocker } from '../../../src/core/docker/doctor-check.js';
import { probePublishedPort } from '../../../src/core/docker/published-port-probe.js';
import { serviceImage } from '../../../src/core/docker/service-container-spec.js';
import { isPolyError } from '../../../src/core/errors.js';
import { testHost } from '../../helpers/context.js';
import { dockerForTests, tempProject } from '../../helpers/docker.js';
import { busyboxTestImage } from '../../helpers/docker-images.js';
import { serviceSpec } from '../../helpers/echo-server.js';
import { freePort, waitForHttp } from '../../helpers/http.js';

const { client, skip } = await dockerForTests();

describe('build services, image health and non-root users against the real engine', { skip }, () => {
  const dirs = tempProject('build');
  const project = { name: 'btest', root: dirs.project, baseImage: '' };

  after(async () => {
    if (client) {
      await removeProjectResources(client, project, { volumes: true, stopTimeoutMs: 1000 });
      const built = serviceImage(project, serviceSpec('web', dirs.project, { build: 'web/Dockerfile' })).ref;
      await client.api
        .getImage(built)
        .remove({ force: true })
        .catch(() => {});
    }
    rmSync(dirs.root, { recursive: true, force: true });
  });

  it('builds a service from its Dockerfile, publishes its port and reports the image HEALTHCHECK', async () => {
    project.baseImage = await busyboxTestImage(client);
    mkdirSync(join(dirs.project, 'web'));
    writeFileSync(
      join(dirs.project, 'web', 'Dockerfile'),
      [
        `FROM ${project.baseImage}`,
        'RUN mkdir -p /www && echo ok > /www/health',
        'HEALTHCHECK --interval=1s --timeout=1s --retries=3 CMD wget -q -O /dev/null http://127.0.0.1:8080/health',
        'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
      ].join('\n'),
    );
    const buildLines: string[] = [];
    const runner = new ContainerRunner({
      env: process.env,
      host: testHost(),
      project,
      ...(client ? { client } : {}),
    });
    const hostPort = await freePort();
    const web = serviceSpec('web', join(dirs.project, 'web'), {
      build: 'web/Dockerfile',
      port: 8080,
      run: undefined,
      runtime: undefined,
    });
    // The build's output goes to the service's own lines.
    const service = await runner.start(web, {
      env: {},
      port: hostPort,
      onLine: (line) => buildLines.push(line),
    });
    assert.ok(
      buildLines.some((l) => /^Step 1\/\d+ : FROM/.test(l)),
      buildLines.join('\n'),
    );
    // The image listens on 8080 inside; poly publishes it on 127.0.0.1:<hostPort>.
    assert.equal(await waitForHttp(`http://127.0.0.1:${hostPort}/health`), 'ok\n');
    let health: string | undefined;
    for (let i = 0; i < 50 && health !== 'healthy'; i++) {
      health = await service.imageHealth();
      if (health !== 'healthy') await sleep(200);
    }
    assert.equal(health, 'healthy');
    await service.stop(1000);
  });

  it('runs as the given user with writable dependency caches and HOME', async () => {
    const runner = new ContainerRunner({
      project,
      env: process.env,
      host: testHost(),
      ...(client ? { client } : {}),
      user: '1234:1234',
    });
    const lines: string[] = [];
    const writer = serviceSpec('writer', dirs.project, {
      run: 'touch "$npm_config_cache/probe" && id -u && echo "$HOME"',
    });
    const service = await runner.start(writer, { env: {}, onLine: (l) => lines.push(l) });
    assert.deepEqual(await service.exited, { code: 0, signal: null });
    assert.deepEqual(lines, ['1234', '/tmp']);
  });

  it('says which port is taken when a container cannot publish it', async () => {
    const runner = new ContainerRunner({
      project,
      env: process.env,
      host: testHost(),
      ...(client ? { client } : {}),
    });
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as AddressInfo).port;
    try {
      const idle = serviceSpec('idle', dirs.project, {
        image: project.baseImage,
        port: 8080,
        run: 'sleep 30',
      });
      await assert.rejects(runner.start(idle, { env: {}, port }), (err) => {
        assert.ok(isPolyError(err), String(err));
        assert.equal(err.code, 'CONTAINER_START');
        assert.match(err.hint ?? '', new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is taken`));
        return true;
      });
    } finally {
      blocker.close();
    }
  });

  it('tells a published port with nothing listening inside from one that answers', async () => {
    const runner = new ContainerRunner({
      project,
      env: process.env,
      host: testHost(),
      ...(client ? { client } : {}),
    });
    const port = await freePort();
    // Listens on 8080 only after a second: until then Docker's proxy accepts and drops connections.
    const late = serviceSpec('late', dirs.project, {
      image: project.baseImage,
      port: 8080,
      run: 'sleep 1; mkdir -p /tmp/w; exec httpd -f -p 8080 -h /tmp/w',
    });
    const service = await runner.start(late, { env: {}, port });
    assert.equal(await probePublishedPort(port), false);
    let healthy = false;
    for (let i = 0; i < 50 && !healthy; i++) {
      healthy = await probePublishedPort(port);
      if (!healthy) await sleep(100);
    }
    assert.equal(healthy, true);
    await service.stop(1000);
  });

  it('poly doctor finds the engine', async () => {
    const finding = await checkDocker(process.env);
    assert.equal(finding.status, 'ok', finding.message);
    assert.match(finding.message, /Docker engine \d+\.\d+/);
  });
});
