import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { DockerClient } from '../../src/core/docker/client.js';
import { LABEL_ROOT } from '../../src/core/docker/labels.js';
import { isProcessRunning } from '../../src/core/supervisor/process-alive.js';
import { dockerForTests, tempProject } from '../helpers/docker.js';
import { BUSYBOX_TEST_IMAGE, busyboxTestImage } from '../helpers/docker-images.js';
import { polyIn } from '../helpers/poly-cli.js';
import { waitFor } from '../helpers/services-project.js';

const poly = (env: NodeJS.ProcessEnv, cwd: string, ...args: string[]) => polyIn(env, cwd, args, 120_000);
const { client, skip } = await dockerForTests();

/** The project's containers and networks, found by the label holding its folder. */
async function dockerObjects(docker: DockerClient, root: string) {
  const filters = { label: [`${LABEL_ROOT}=${root}`] };
  const containers = await docker.api.listContainers({ all: true, filters });
  const networks = await docker.api.listNetworks({ filters });
  return {
    running: containers.filter((c) => c.State === 'running').map((c) => c.Names[0]),
    containers: containers.map((c) => c.Names[0]),
    networks: networks.map((n) => n.Name),
  };
}

/** This project's container watchdog (its argument is the project folder). */
function containerWatchdogs(root: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args.some((a) => a.endsWith('container-watchdog-main.js')) && args.includes(root);
      } catch {
        return false;
      }
    });
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function supervisorPid(root: string): number {
  return (JSON.parse(readFileSync(join(root, '.poly/state/supervisor.json'), 'utf8')) as { pid: number }).pid;
}

describe('containers of a supervisor that was killed', { skip }, () => {
  const dirs = tempProject('leftover');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    POLY_HOME: dirs.home,
    POLY_CONFIG_DIR: join(dirs.root, 'config'),
    NO_COLOR: '1',
  };
  before(async () => {
    await busyboxTestImage(client);
    writeFileSync(
      join(dirs.project, 'poly.toml'),
      `[project]\nname = "leftover-${Date.now().toString(36)}"\n\n[services.box]\nimage = "${BUSYBOX_TEST_IMAGE}"\nrun = "exec httpd -f -p 8080 -h /"\nport = 8080\nstop_timeout = "1s"\n`,
    );
  });
  afterEach(() => poly(env, dirs.project, 'down'));
  after(() => rmSync(dirs.root, { recursive: true, force: true }));

  const up = async () => {
    const r = await poly(env, dirs.project, 'up', '-d', '--json');
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { services: Array<{ name: string; port: number }> }).services[0]!.port;
  };

  it('are stopped by the watchdog', async () => {
    await up();
    assert.equal((await dockerObjects(client!, dirs.project)).running.length, 1);
    process.kill(supervisorPid(dirs.project), 'SIGKILL');
    await until(
      'the watchdog to stop the container',
      async () => (await dockerObjects(client!, dirs.project)).running.length === 0,
      30_000,
    );
  });

  it('left running (watchdog killed too) are shown by ps, stopped by down, and keep their auto port', async () => {
    const port = await up();
    const supervisor = supervisorPid(dirs.project);
    const dogs = containerWatchdogs(dirs.project);
    assert.equal(dogs.length, 1, 'one container watchdog per supervisor');
    for (const pid of [...dogs, supervisor]) process.kill(pid, 'SIGKILL');
    await waitFor('the supervisor to end', () => !isProcessRunning(supervisor));

    const ps = await poly(env, dirs.project, 'ps');
    assert.match(
      ps.stdout,
      /^No supervisor runs, but a killed one left containers poly-leftover-[\w-]+-box running\. Stop them with `poly down`\.\n$/,
    );

    // The next up stops the leftover first: the container's port is free again, and kept.
    assert.equal(await up(), port);
    const down = await poly(env, dirs.project, 'down');
    assert.match(down.stdout, /^Stopped box\.\nRemoved /);

    await up();
    for (const pid of [...containerWatchdogs(dirs.project), supervisorPid(dirs.project)])
      process.kill(pid, 'SIGKILL');
    const again = await poly(env, dirs.project, 'down');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Stopped box\.\nRemoved /);
    assert.deepEqual(await dockerObjects(client!, dirs.project), {
      running: [],
      containers: [],
      networks: [],
    });
  });
});

describe('an image that cannot be pulled', { skip }, () => {
  const dirs = tempProject('nopull');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    POLY_HOME: dirs.home,
    POLY_CONFIG_DIR: join(dirs.root, 'config'),
    NO_COLOR: '1',
  };
  after(() => rmSync(dirs.root, { recursive: true, force: true }));

  it('fails up -d saying nothing else runs; down stops the supervisor and removes the network', async () => {
    writeFileSync(
      join(dirs.project, 'poly.toml'),
      `[project]\nname = "nopull-${Date.now().toString(36)}"\n\n[services.ghost]\nimage = "poly-test/no-such-image:1"\nport = 8080\n`,
    );
    const up = await poly(env, dirs.project, 'up', '-d');
    assert.equal(up.code, 1);
    assert.match(up.stderr, /service ghost is failed: cannot pull image poly-test\/no-such-image:1/);
    assert.match(up.stderr, /hint: No other service of this project runs\./);
    const supervisor = supervisorPid(dirs.project);

    const down = await poly(env, dirs.project, 'down');
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /^Stopped ghost\.\nRemoved poly-nopull-[\w-]+\.\n$/);
    assert.equal(isProcessRunning(supervisor), false);
    assert.deepEqual(await dockerObjects(client!, dirs.project), {
      running: [],
      containers: [],
      networks: [],
    });
  });
});
