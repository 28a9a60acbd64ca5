import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeProjectResources } from '../../../src/core/docker/cleanup.js';
import { ContainerRunner, type RunningContainer } from '../../../src/core/docker/container-service.js';
import { followLogs, listProjectContainers } from '../../../src/core/docker/containers.js';
import { LABEL_PROJECT } from '../../../src/core/docker/labels.js';
import { toolchainMounts } from '../../../src/core/docker/service-container-spec.js';
import { peerEnv } from '../../../src/core/env/service-env/peers.js';
import { renderContainerEnv } from '../../../src/core/env/service-env/render.js';
import { isPolyError } from '../../../src/core/errors.js';
import { testHost } from '../../helpers/context.js';
import { dockerForTests, nodeToolchain, tempProject } from '../../helpers/docker.js';
import { busyboxTestImage, debianTestImage } from '../../helpers/docker-images.js';
import { serviceSpec, writeEchoServer } from '../../helpers/echo-server.js';
import { freePort, waitForHttp } from '../../helpers/http.js';

const { client, skip } = await dockerForTests();

describe('container services against the real engine', { skip }, () => {
  const dirs = tempProject('container');
  const project = { name: 'ctest', root: dirs.project, baseImage: '' };
  const toolchain = nodeToolchain(dirs.home);
  const apiDir = join(dirs.project, 'api');
  const runner = new ContainerRunner({
    project,
    env: process.env,
    host: testHost(),
    ...(client ? { client } : {}),
  });
  const running: RunningContainer[] = [];
  // The container environment, from the one pipeline: the mounted toolchain first on PATH.
  const nativeEnv = (extra: Record<string, string>) =>
    renderContainerEnv(
      {
        service: 'api',
        host: process.env,
        toolchain: { pathPrepend: [`${toolchain.dir}/bin`], set: {}, unset: [] },
        written: Object.entries({ SIDE: 'container', ...extra }).map(([name, value]) => ({
          name,
          value,
          source: 'service' as const,
          template: false,
        })),
        peers: [],
      },
      { mounts: toolchainMounts([toolchain]), projectRoot: dirs.project, ownImage: false },
    ).env;

  before(async () => {
    project.baseImage = await debianTestImage(client);
    writeEchoServer(apiDir);
  });

  after(async () => {
    for (const r of running) await r.stop(1000).catch(() => {});
    if (client) await removeProjectResources(client, project, { volumes: true, stopTimeoutMs: 1000 });
    rmSync(dirs.root, { recursive: true, force: true });
  });

  async function startApi(extra: Record<string, string> = {}, port?: number) {
    const p = port ?? (await freePort());
    const lines: string[] = [];
    const service = await runner.start(serviceSpec('api', apiDir), {
      env: nativeEnv({ PORT: String(p), ...extra }),
      port: p,
      toolchains: [toolchain],
      onLine: (line) => lines.push(line),
    });
    running.push(service);
    return { service, port: p, lines };
  }

  it('runs a node service on the mounted toolchain and answers its health check on 127.0.0.1', async () => {
    const { service, port, lines } = await startApi();
    assert.equal(await waitForHttp(`http://127.0.0.1:${port}/health`), 'ok');
    const who = JSON.parse(await waitForHttp(`http://127.0.0.1:${port}/whoami`));
    assert.equal(who.execPath, `/opt/poly/node/${toolchain.version}/bin/node`);
    assert.equal(who.version, process.version);
    assert.ok(lines.includes(`listening on ${port}`), `output lines: ${JSON.stringify(lines)}`);
    const info = await client!.api.getContainer(service.id).inspect();
    assert.deepEqual(info.HostConfig.PortBindings[`${port}/tcp`], [
      { HostIp: '127.0.0.1', HostPort: String(port) },
    ]);
    assert.equal(info.HostConfig.Privileged, false);
    await service.stop(2000);
    assert.equal((await client!.api.getContainer(service.id).inspect()).State.Running, false);
  });

  it('reuses an unchanged container and recreates a changed one', async () => {
    const port = await freePort();
    const first = await startApi({ GREETING: 'one' }, port);
    await waitForHttp(`http://127.0.0.1:${port}/health`);
    await first.service.stop(2000);
    const again = await startApi({ GREETING: 'one' }, port);
    assert.equal(again.service.reused, true);
    assert.equal(again.service.id, first.service.id);
    await waitForHttp(`http://127.0.0.1:${port}/health`);
    await again.service.stop(2000);
    const changed = await startApi({ GREETING: 'two' }, port);
    assert.equal(changed.service.reused, false);
    assert.notEqual(changed.service.id, first.service.id);
    assert.equal(JSON.parse(await waitForHttp(`http://127.0.0.1:${port}/whoami`)).greeting, 'two');
    await assert.rejects(client!.api.getContainer(first.service.id).inspect(), /no such container/i);
    await changed.service.stop(2000);
  });

  it('resolves exited with the exit code when the service crashes, and starts it again', async () => {
    const crashing = serviceSpec('crasher', apiDir, {
      run: `node -e "console.log('boom'); process.exit(3)"`,
    });
    const ctx = { env: nativeEnv({}), toolchains: [toolchain] };
    const lines: string[] = [];
    const first = await runner.start(crashing, { ...ctx, onLine: (l) => lines.push(l) });
    assert.deepEqual(await first.exited, { code: 3, signal: null });
    assert.deepEqual(lines, ['boom']);
    const second = await runner.start(crashing, ctx);
    assert.equal(second.reused, true);
    assert.deepEqual(await second.exited, { code: 3, signal: null });
    // `poly logs` reads what the container printed across both runs.
    const logged: string[] = [];
    await followLogs(client!, second.id, (l) => logged.push(l), { follow: false });
    assert.deepEqual(logged, ['boom', 'boom']);
    const [listed] = (await listProjectContainers(client!, project)).filter((c) => c.service === 'crasher');
    assert.match(listed?.status ?? '', /^Exited \(3\)/);
  });

  it('lets native and container services call each other through the injected URLs', async () => {
    const [webPort, apiPort, staticPort, relayPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const endpoints = [
      { name: 'web', mode: 'native' as const, hostPort: webPort, relayPort },
      { name: 'api', mode: 'container' as const, hostPort: apiPort },
      { name: 'static', mode: 'container' as const, hostPort: staticPort, containerPort: 8080 },
    ];
    // An image service: another container, reached by its service name on the project network.
    const staticService = await runner.start(
      serviceSpec('static', dirs.project, {
        image: await busyboxTestImage(client),
        port: 8080,
        runtime: undefined,
        run: 'mkdir -p /tmp/www && echo busybox > /tmp/www/hello && httpd -f -p 8080 -h /tmp/www',
      }),
      { env: {}, port: staticPort },
    );
    running.push(staticService);
    const forwarder = await runner.forwardNativePorts([{ listen: relayPort, target: webPort }]);
    // The native side listens on loopback only, as native services do.
    const web = spawn(process.execPath, [join(apiDir, 'server.mjs')], {
      env: {
        ...process.env,
        PORT: String(webPort),
        LISTEN_HOST: '127.0.0.1',
        SIDE: 'native',
        ...peerEnv(endpoints, 'native', 'web'),
      },
      stdio: 'ignore',
    });
    try {
      const { service } = await startApi(peerEnv(endpoints, 'container', 'api'), apiPort);
      await waitForHttp(`http://127.0.0.1:${webPort}/health`);
      await waitForHttp(`http://127.0.0.1:${apiPort}/health`);
      assert.equal(
        await waitForHttp(`http://127.0.0.1:${webPort}/call/API`),
        'API said: hello from container',
      );
      assert.equal(await waitForHttp(`http://127.0.0.1:${apiPort}/call/WEB`), 'WEB said: hello from native');
      assert.equal(await waitForHttp(`http://127.0.0.1:${apiPort}/call/STATIC`), 'STATIC said: busybox\n');
      assert.equal(await waitForHttp(`http://127.0.0.1:${webPort}/call/STATIC`), 'STATIC said: busybox\n');
      await service.stop(2000);
      await staticService.stop(1000);
    } finally {
      web.kill();
      await forwarder?.close();
    }
  });

  it('says which image could not be pulled, why, and what to do', async () => {
    const missing = serviceSpec('db', apiDir, {
      image: 'poly-test/no-such-image:1',
      run: undefined,
      runtime: undefined,
    });
    await assert.rejects(runner.start(missing, { env: {}, port: await freePort() }), (err) => {
      assert.ok(isPolyError(err), String(err));
      assert.equal(err.code, 'DOCKER_IMAGE_PULL');
      assert.match(err.message, /poly-test\/no-such-image:1/);
      assert.match(err.hint ?? '', /docker load/);
      return true;
    });
  });

  it('leaves no labelled container, network or volume after project cleanup', async () => {
    const { port } = await startApi();
    await waitForHttp(`http://127.0.0.1:${port}/health`);
    const removed = await removeProjectResources(client!, project, { volumes: true, stopTimeoutMs: 1000 });
    assert.ok(removed.containers.length >= 1 && removed.networks.length === 1, JSON.stringify(removed));
    const filters = { label: [`${LABEL_PROJECT}=${project.name}`] };
    assert.deepEqual(await client!.api.listContainers({ all: true, filters }), []);
    assert.deepEqual(await client!.api.listNetworks({ filters }), []);
    assert.deepEqual((await client!.api.listVolumes({ filters })).Volumes ?? [], []);
  });
});
