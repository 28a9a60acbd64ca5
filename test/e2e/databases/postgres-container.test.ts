import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { execa } from 'execa';
import { databaseVolumeName } from '../../../src/core/databases/container-recipe.js';
import { containerName } from '../../../src/core/docker/labels.js';
import { volumeExists } from '../../helpers/container-databases.js';
import { dockerForTests } from '../../helpers/docker.js';
import { BUSYBOX_TEST_IMAGE, busyboxTestImage } from '../../helpers/docker-images.js';
import { POSTGRES_TEST_IMAGE, postgresTestImage } from '../../helpers/postgres-image.js';
import {
  databaseProject,
  PEER_SERVICE,
  peerEnvFrom,
  storeEnv,
  tempDir,
} from '../../helpers/postgres-project.js';
import { waitFor } from '../../helpers/services-project.js';

const { client, skip } = await dockerForTests();

/** psql (Debian's postgresql-client) through the published port: a real client over the real protocol. */
async function psql(url: string, query: string): Promise<string> {
  return (await execa('psql', [url, '-Atc', query])).stdout;
}

/**
 * `use = "postgres@16"` with mode = "container": the image POLY_POSTGRES_IMAGE
 * names (a local stand-in for the official postgres:16, see postgres-image.ts:
 * no registry is reachable here), with the same credentials, init files,
 * a named data volume and the same variables per side.
 */
describe('use = "postgres@16" in container mode runs the official image contract', { skip }, () => {
  const tmp = tempDir('poly-pgc-');
  const name = `pgc-${Date.now().toString(36)}`;
  const env = { ...storeEnv(tmp.dir, {}), POLY_OFFLINE: '1', POLY_POSTGRES_IMAGE: POSTGRES_TEST_IMAGE };
  const project = databaseProject(
    tmp.dir,
    name,
    `[services.db]
use = "postgres@16"
mode = "container"
init = ["db/schema.sql", "db/seed.sql"]

[services.box]
image = "${BUSYBOX_TEST_IMAGE}"
run = "exec sleep 100000"
depends_on = ["db"]

${PEER_SERVICE}`,
    env,
  );
  after(async () => {
    await project.poly('down', '--volumes');
    tmp.cleanup();
  });

  it('comes up healthy, wires both sides, keeps data across down/up, and down --volumes removes it', async () => {
    await Promise.all([postgresTestImage(client!), busyboxTestImage(client)]);
    project.write('db/schema.sql', 'CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);\n');
    project.write('db/seed.sql', "INSERT INTO items (name) VALUES ('seeded');\n");
    const up = await project.poly('up', '-d');
    assert.equal(up.code, 0, up.stderr);

    const native = await waitFor('the native peer to write its environment', () => {
      const file = join(project.root, 'env.json');
      return existsSync(file) && peerEnvFrom(file);
    });
    const port = Number(native.DB_PORT);
    assert.ok(port > 0 && port !== 5432, `a host port of its own, got ${native.DB_PORT}`);
    assert.equal(native.DB_URL, `postgres://dev:dev@127.0.0.1:${port}/${name}`);
    const inspect = await execa('docker', [
      'inspect',
      '-f',
      '{{json .Config.Env}}',
      containerName({ name, root: project.root }, 'box'),
    ]);
    const boxEnv = JSON.parse(inspect.stdout) as string[];
    assert.ok(boxEnv.includes(`DB_URL=postgres://dev:dev@db:5432/${name}`), boxEnv.join('\n'));

    const url = native.DB_URL!;
    assert.equal(await psql(url, 'SELECT name FROM items'), 'seeded', 'the init files ran once, in order');
    await psql(url, "INSERT INTO items (name) VALUES ('kept')");

    const volume = databaseVolumeName({ name, root: project.root }, 'db');
    assert.equal((await project.poly('down')).code, 0);
    assert.ok(await volumeExists(volume), 'poly down keeps the data volume');
    rmSync(join(project.root, 'env.json'));
    const again = await project.poly('up', '-d');
    assert.equal(again.code, 0, again.stderr);
    const url2 = (
      await waitFor('the peer to start again', () => {
        const file = join(project.root, 'env.json');
        return existsSync(file) && peerEnvFrom(file);
      })
    ).DB_URL!;
    assert.equal(await psql(url2, "SELECT string_agg(name, ',' ORDER BY id) FROM items"), 'seeded,kept');

    const down = await project.poly('down', '--volumes');
    assert.equal(down.code, 0, down.stderr);
    assert.equal(await volumeExists(volume), false, 'down --volumes removes the data volume');
  });
});
