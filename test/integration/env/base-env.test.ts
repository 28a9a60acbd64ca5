import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { environmentForProject } from '../../../src/services/env/project-env.js';
import { testContext } from '../../helpers/context.js';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';

/**
 * `environmentForProject(root, { base })` is how `poly new` and tasks get a project's
 * environment for another environment than poly's own. Everything the base says about
 * poly (its POLY_HOME, its mirrors, POLY_OFFLINE) must apply to the installs it triggers,
 * not this process's: the install used to take this process's store and official hosts.
 */
describe('a base environment is the one whose store and mirrors apply', () => {
  let mirror: Mirror;
  let dir: string;
  const saved = { ...process.env };
  before(async () => {
    mirror = await startMirror({ runtimes: ['node'] });
    dir = mkdtempSync(join(tmpdir(), 'poly-base-env-'));
  });
  after(async () => {
    process.env = saved;
    await mirror.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs a missing runtime into the base POLY_HOME, from the base mirror', async () => {
    const version = mirror.versions.node[0] as string;
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'poly.toml'), `[runtimes]\nnode = "${version}"\n`);
    const baseHome = join(dir, 'base-home');
    const base: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      POLY_HOME: baseHome,
      POLY_CONFIG_DIR: join(dir, 'base-config'),
      ...mirror.env,
    };
    // This process points elsewhere, with no mirror and a source that fails at once.
    const ownHome = join(dir, 'own-home');
    process.env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      POLY_HOME: ownHome,
      POLY_CONFIG_DIR: join(dir, 'own-config'),
      POLY_NODE_MIRROR: 'http://127.0.0.1:9/nothing-here',
      POLY_HTTP_RETRIES: '0',
    };

    const env = await environmentForProject(project, { ctx: testContext(base) });

    const bin = join(baseHome, 'installs', 'node', version, 'bin');
    assert.ok(existsSync(join(bin, 'node')), 'node is installed in the base POLY_HOME');
    assert.equal(env.PATH?.split(':')[0], bin);
    assert.deepEqual(existsSync(join(ownHome, 'installs')) ? readdirSync(join(ownHome, 'installs')) : [], []);
    assert.ok(
      mirror.requests.some((r) => r.path.endsWith('/index.json')),
      'the base mirror was asked for the index',
    );
  });
});
