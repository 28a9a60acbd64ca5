import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LABEL_ROOT } from '../../src/core/docker/labels.js';
import type { DownResult } from '../../src/services/up/down.js';
import { dockerForTests, tempProject } from '../helpers/docker.js';
import { BUSYBOX_TEST_IMAGE, busyboxTestImage } from '../helpers/docker-images.js';
import { loadedModules } from '../helpers/loaded-modules.js';
import { polyIn } from '../helpers/poly-cli.js';

const { client, skip } = await dockerForTests();

/**
 * `poly down` of a project whose supervisor ran a container: the supervisor removes the
 * containers and the network before it exits (it has dockerode loaded), so down itself never
 * loads dockerode. Seen in a real run with Node's module hooks, against the real engine.
 */
describe('poly down while a supervisor runs containers', { skip }, () => {
  const dirs = tempProject('down-nodocker');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    POLY_HOME: dirs.home,
    POLY_CONFIG_DIR: join(dirs.root, 'config'),
    POLY_PROXY: 'off',
    NO_COLOR: '1',
    CI: '',
    POLY_DEBUG: '',
  };
  before(async () => {
    await busyboxTestImage(client);
    writeFileSync(
      join(dirs.project, 'poly.toml'),
      `[project]\nname = "down-nodocker-${Date.now().toString(36)}"\n\n[services.box]\nimage = "${BUSYBOX_TEST_IMAGE}"\nrun = "exec httpd -f -p 8080 -h /"\nport = 8080\nstop_timeout = "1s"\n`,
    );
  });
  after(async () => {
    await polyIn(env, dirs.project, ['down'], 120_000);
    rmSync(dirs.root, { recursive: true, force: true });
  });

  it('removes the container and network through the supervisor, without loading dockerode', async () => {
    const up = await polyIn(env, dirs.project, ['up', '-d'], 120_000);
    assert.equal(up.code, 0, up.stderr);
    const filters = { label: [`${LABEL_ROOT}=${dirs.project}`] };
    assert.equal((await client!.api.listContainers({ all: true, filters })).length, 1, 'the container runs');

    const down = loadedModules(['down', '--json'], { cwd: dirs.project, env });

    const dockerode = down.files.filter((f) => f.includes('node_modules/dockerode/'));
    assert.deepEqual(dockerode, [], 'poly down loaded dockerode');
    const result = JSON.parse(down.stdout) as DownResult;
    assert.deepEqual(result.services, ['box']);
    assert.equal(result.removed?.containers.length, 1, JSON.stringify(result));
    assert.equal(result.removed?.networks.length, 1, JSON.stringify(result));
    assert.deepEqual(await client!.api.listContainers({ all: true, filters }), []);
    assert.deepEqual(await client!.api.listNetworks({ filters }), []);
  });
});
