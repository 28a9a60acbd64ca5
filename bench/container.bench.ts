import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { removeProjectResources } from '../src/core/docker/cleanup.js';
import { connectDocker } from '../src/core/docker/client.js';
import { ContainerRunner } from '../src/core/docker/container-service.js';
import { testHost } from '../test/helpers/context.js';
import { nodeToolchain, tempProject } from '../test/helpers/docker.js';
import { debianTestImage } from '../test/helpers/docker-images.js';
import { serviceSpec, writeEchoServer } from '../test/helpers/echo-server.js';
import { freePort, waitForHttp } from '../test/helpers/http.js';
import { type Bench, type BenchRow, median } from './lib.js';

const RUNS = 7;

/**
 * Warm start of a container service whose container exists and is unchanged
 * (the second `poly up`), against the same service started natively: from
 * the start call until its health check answers on 127.0.0.1. Each container
 * run uses a fresh ContainerRunner, as a new `poly up` process would.
 */
const bench: Bench = async () => {
  let client: Awaited<ReturnType<typeof connectDocker>>;
  try {
    client = await connectDocker(process.env);
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    return [skipped(`no Docker engine: ${(err as Error).message}`)];
  }
  const dirs = tempProject('bench-container');
  const project = { name: 'bench', root: dirs.project, baseImage: await debianTestImage(client) };
  const apiDir = join(dirs.project, 'api');
  writeEchoServer(apiDir);
  const toolchain = nodeToolchain(dirs.home);
  const port = await freePort();
  const env = { ...process.env, PATH: `${toolchain.dir}/bin:${process.env.PATH}`, PORT: String(port) };
  const health = `http://127.0.0.1:${port}/health`;
  try {
    const native: number[] = [];
    const containerRuns: number[] = [];
    const running: number[] = [];
    const engine: number[] = [];
    const startContainer = async () =>
      new ContainerRunner({
        project,
        client: await connectDocker(process.env),
        env: process.env,
        host: testHost(),
      }).start(serviceSpec('api', apiDir), {
        env,
        port,
        toolchains: [toolchain],
      });
    // Run 0 creates the container; native and container runs alternate so both face the same machine load.
    for (let i = 0; i < RUNS + 1; i++) {
      let t0 = performance.now();
      const child = spawn(process.execPath, [join(apiDir, 'server.mjs')], {
        env: { ...env, LISTEN_HOST: '127.0.0.1' },
        stdio: 'ignore',
      });
      await waitForHttp(health, 15_000, 5);
      if (i > 0) native.push(performance.now() - t0);
      await new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill();
      });

      t0 = performance.now();
      const stopped = await startContainer();
      await waitForHttp(health, 15_000, 5);
      if (i > 0) containerRuns.push(performance.now() - t0);

      // `poly up` again while the container still runs: poly re-attaches.
      t0 = performance.now();
      const again = await startContainer();
      await waitForHttp(health, 15_000, 5);
      if (i > 0) running.push(performance.now() - t0);
      if (!again.reused || (i > 0 && !stopped.reused))
        throw new Error('the unchanged container was not reused');
      await again.stop(2000);
      await stopped.exited;

      // The engine's own floor: the same stopped container started by one bare API call, no poly.
      t0 = performance.now();
      await client.api.getContainer(stopped.id).start();
      await waitForHttp(health, 15_000, 5);
      if (i > 0) engine.push(performance.now() - t0);
      await client.api.getContainer(stopped.id).stop({ t: 2 });
    }
    const base = { name: 'native start to healthy', value: median(native) };
    const importMs = dockerodeImportMs();
    const warm = median(containerRuns) / base.value;
    return [
      {
        name: 'container warm start (stopped, unchanged) vs native',
        value: warm,
        unit: 'x',
        baseline: base,
        target: '<= 1.5x',
        ok: warm <= 1.5,
        note: `container ${median(containerRuns).toFixed(0)} ms; the engine alone needs ${median(engine).toFixed(0)} ms (next row)`,
      },
      {
        name: 'engine floor: bare docker start of that container to healthy vs native',
        value: median(engine) / base.value,
        unit: 'x',
        baseline: base,
        target: 'reported',
        ok: true,
        note: `engine ${median(engine).toFixed(0)} ms; poly adds ${(median(containerRuns) - median(engine)).toFixed(0)} ms`,
      },
      {
        name: 'container warm start (still running, unchanged) vs native',
        value: median(running) / base.value,
        unit: 'x',
        baseline: base,
        target: 'reported',
        ok: true,
        note: `container ${median(running).toFixed(0)} ms`,
      },
      {
        name: 'dockerode import in a fresh process (paid once per poly up)',
        value: importMs,
        unit: 'ms',
        target: 'reported',
        ok: true,
        note: 'not in the rows above, which reuse one process',
      },
    ];
  } finally {
    await removeProjectResources(client, project, { volumes: true, stopTimeoutMs: 1000 });
    rmSync(dirs.root, { recursive: true, force: true });
  }
};

/** Median time to import dockerode in a new node process (the module cache hides it in-process). */
function dockerodeImportMs(): number {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const t = performance.now(); await import('dockerode'); console.log(performance.now() - t)",
      ],
      { encoding: 'utf8' },
    );
    samples.push(Number(r.stdout.trim()));
  }
  return median(samples);
}

function skipped(note: string): BenchRow {
  return { name: 'container warm start vs native', value: 0, unit: 'x', target: '<= 1.5x', ok: true, note };
}

export default bench;
