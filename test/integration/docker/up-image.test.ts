import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeProjectResources } from '../../../src/core/docker/cleanup.js';
import { serviceImage } from '../../../src/core/docker/service-container-spec.js';
import { requireManifest } from '../../../src/core/manifest/load.js';
import { projectLayout } from '../../../src/core/store/layout.js';
import type { ServiceStatus } from '../../../src/core/supervisor/status.js';
import type { SettleResult } from '../../../src/core/supervisor/supervisor.js';
import { listServices } from '../../../src/services/up/ps.js';
import { type RunningUp, startServices } from '../../../src/services/up/up.js';
import { testContext } from '../../helpers/context.js';
import { dockerForTests, tempProject } from '../../helpers/docker.js';
import { busyboxTestImage } from '../../helpers/docker-images.js';
import { waitFor } from '../../helpers/services-project.js';

const { client, skip } = await dockerForTests();

/**
 * `poly up` in this process (the real supervisor, container runner and
 * engine) on a project with two `build = "Dockerfile"` services whose images
 * have a HEALTHCHECK: web has no `health` of its own, api has one. A pull
 * cannot be exercised here (no image registry is reachable): its progress
 * line is covered by the PullSummary unit test.
 */
describe('poly up with built images and their HEALTHCHECK against the real engine', { skip }, () => {
  const dirs = tempProject('up-image');
  const name = `upimg-${Date.now().toString(36)}`;
  const saved = { home: process.env.POLY_HOME, config: process.env.POLY_CONFIG_DIR };
  let run: RunningUp | undefined;
  let settled: SettleResult | undefined;
  /** Every status update per service, as the dashboard saw them. */
  const seen: Record<string, ServiceStatus[]> = { web: [], api: [] };
  const builtImage = (service: string) =>
    serviceImage({ name, root: dirs.project }, requireManifest(dirs.project).services[service]!).ref;
  const status = (service: string) => run!.supervisor.status().find((s) => s.name === service)!;

  const write = (path: string, text: string) => {
    mkdirSync(join(dirs.project, path, '..'), { recursive: true });
    writeFileSync(join(dirs.project, path), text);
  };

  before(async () => {
    process.env.POLY_HOME = dirs.home;
    process.env.POLY_CONFIG_DIR = join(dirs.root, 'config');
    const base = await busyboxTestImage(client);
    write(
      'poly.toml',
      `[project]
name = "${name}"

[services.web]
build = "web/Dockerfile"
stop_timeout = "1s"

[services.api]
build = "api/Dockerfile"
port = 8080
health = "/health"
stop_timeout = "1s"
`,
    );
    // web's image becomes healthy once /tmp/ready exists, 2 s after it started.
    write(
      'web/Dockerfile',
      [
        `FROM ${base}`,
        'HEALTHCHECK --interval=1s --timeout=1s --retries=30 CMD test -f /tmp/ready',
        'CMD ["sh", "-c", "sleep 2; touch /tmp/ready; exec sleep 300"]',
      ].join('\n'),
    );
    // api answers its own check at once; its image's HEALTHCHECK passes 2 s later.
    write(
      'api/Dockerfile',
      [
        `FROM ${base}`,
        'RUN mkdir -p /www && echo ok > /www/health',
        'HEALTHCHECK --interval=1s --timeout=1s --retries=30 CMD test -f /tmp/ready',
        'CMD ["sh", "-c", "(sleep 2; touch /tmp/ready) & exec httpd -f -p 8080 -h /www"]',
      ].join('\n'),
    );
    run = await startServices({ cwd: dirs.project, services: [], ctx: testContext(process.env) });
    run.supervisor.on((event) => {
      if (event.type === 'status') seen[event.status.name]?.push(event.status);
    });
    settled = await run.supervisor.settled();
  });

  after(async () => {
    await run?.stop();
    if (client) {
      await removeProjectResources(client, { name, root: dirs.project }, { stopTimeoutMs: 1000 });
      for (const service of ['web', 'api'])
        await client.api
          .getImage(builtImage(service))
          .remove({ force: true })
          .catch(() => {});
    }
    for (const [key, value] of [
      ['POLY_HOME', saved.home],
      ['POLY_CONFIG_DIR', saved.config],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(dirs.root, { recursive: true, force: true });
  });

  it('without a health check of its own, is healthy only once the image HEALTHCHECK passes', async () => {
    assert.deepEqual(settled, { ok: true });
    const web = status('web');
    assert.equal(web.state, 'healthy');
    assert.equal(web.check, 'image HEALTHCHECK');
    assert.equal(web.imageHealth, 'healthy');
    // /tmp/ready appears 2 s after the container started: not healthy before that.
    const healthyAfter = web.healthyAt! - web.startedAt!;
    assert.ok(healthyAfter >= 2000, `healthy after ${healthyAfter} ms`);
    const waiting = seen.web!.find((s) => s.imageHealth === 'starting');
    assert.equal(waiting?.state, 'starting', 'the image said "starting" while the service was starting');
    assert.equal(waiting?.check, 'image HEALTHCHECK');
    const healthy = seen.web!.filter((s) => s.state === 'healthy');
    assert.ok(healthy.length > 0);
    assert.deepEqual(new Set(healthy.map((s) => s.imageHealth)), new Set(['healthy']));

    // `poly ps --json` is this result: the field is in it.
    const ps = await listServices({ cwd: dirs.project, ctx: testContext(process.env) });
    assert.equal(ps.services.find((s) => s.name === 'web')?.imageHealth, 'healthy');
  });

  it("keeps a service's own check and shows the image HEALTHCHECK beside it as it changes", async () => {
    const api = await waitFor(
      'the image HEALTHCHECK of api to pass',
      () => status('api').imageHealth === 'healthy' && status('api'),
      15_000,
    );
    assert.equal(api.state, 'healthy');
    assert.equal(api.check, 'GET /health');
    // Healthy by its own check while the image still said "starting"; then an update with the image's news.
    const firstHealthy = seen.api!.find((s) => s.state === 'healthy');
    assert.equal(firstHealthy?.imageHealth, 'starting');
    assert.ok(seen.api!.some((s) => s.state === 'healthy' && s.imageHealth === 'healthy'));
  });

  it('shows `building image …` while a service starts and logs the build output', async () => {
    const building = seen.web!.find((s) => s.message?.startsWith('building image '));
    assert.ok(building, `no build progress in ${JSON.stringify(seen.web!.map((s) => [s.state, s.message]))}`);
    assert.equal(building.state, 'starting');
    assert.equal(building.message, `building image ${builtImage('web')}`);
    // Once the container exists the progress line is gone.
    const started = seen.web!.find((s) => s.containerId !== undefined);
    assert.equal(started?.message, undefined);

    // The build's output is the service's output: in memory (dashboard, `poly logs`) and in .poly/logs.
    const stepLine = /^Step 1\/\d+ : FROM /;
    assert.ok(
      run!.supervisor.recentLines('web').some((l) => stepLine.test(l)),
      'build lines in memory',
    );
    const logFile = readFileSync(join(projectLayout(dirs.project).logs, 'web.log'), 'utf8');
    assert.ok(
      logFile.split('\n').some((l) => stepLine.test(l)),
      logFile,
    );
  });
});
