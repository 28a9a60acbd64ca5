import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeProjectResources } from '../../../src/core/docker/cleanup.js';
import { serviceImage } from '../../../src/core/docker/service-container-spec.js';
import { requireManifest } from '../../../src/core/manifest/load.js';
import { projectLayout } from '../../../src/core/store/layout.js';
import type { ServiceStatus } from '../../../src/core/supervisor/status.js';
import { type RunningUp, startServices } from '../../../src/services/up.js';
import { dockerForTests, tempProject } from '../../helpers/docker.js';
import { busyboxTestImage } from '../../helpers/docker-images.js';

const { client, skip } = await dockerForTests();

/**
 * `poly up` in this process (the real supervisor, container runner and
 * engine) on a project with a `build = "Dockerfile"` service. A pull cannot
 * be exercised here (no image registry is reachable): its progress line is
 * covered by the PullSummary unit test.
 */
describe('poly up with a built image against the real engine', { skip }, () => {
  const dirs = tempProject('up-image');
  const name = `upimg-${Date.now().toString(36)}`;
  const saved = { home: process.env.POLY_HOME, config: process.env.POLY_CONFIG_DIR };
  let run: RunningUp | undefined;
  const builtImage = () =>
    serviceImage({ name, root: dirs.project }, requireManifest(dirs.project).services.web!).ref;

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
`,
    );
    write(
      'web/Dockerfile',
      [
        `FROM ${base}`,
        'HEALTHCHECK --interval=1s --timeout=1s --retries=30 CMD test -f /tmp/ready',
        'CMD ["sh", "-c", "sleep 2; touch /tmp/ready; exec sleep 300"]',
      ].join('\n'),
    );
  });

  after(async () => {
    await run?.stop();
    if (client) {
      await removeProjectResources(client, { name, root: dirs.project }, { stopTimeoutMs: 1000 });
      await client.api
        .getImage(builtImage())
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

  it('shows `building image …` while the service starts and logs the build output', async () => {
    run = await startServices({ cwd: dirs.project, services: [] });
    const seen: ServiceStatus[] = [];
    run.supervisor.on((event) => {
      if (event.type === 'status' && event.status.name === 'web') seen.push(event.status);
    });
    assert.deepEqual(await run.supervisor.settled(), { ok: true });

    const building = seen.find((s) => s.message?.startsWith('building image '));
    assert.ok(building, `no build progress in ${JSON.stringify(seen.map((s) => [s.state, s.message]))}`);
    assert.equal(building.state, 'starting');
    assert.equal(building.message, `building image ${builtImage()}`);
    // Once the container exists the progress line is gone.
    const started = seen.find((s) => s.containerId !== undefined);
    assert.equal(started?.message, undefined);

    // The build's output is the service's output: in memory (dashboard, `poly logs`) and in .poly/logs.
    const stepLine = /^Step 1\/\d+ : FROM /;
    assert.ok(
      run.supervisor.recentLines('web').some((l) => stepLine.test(l)),
      'build lines in memory',
    );
    const logFile = readFileSync(join(projectLayout(dirs.project).logs, 'web.log'), 'utf8');
    assert.ok(
      logFile.split('\n').some((l) => stepLine.test(l)),
      logFile,
    );
  });
});
