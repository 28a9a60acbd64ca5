import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Mirror, startMirror } from '../helpers/mirror/index.js';
import { processesWithToken } from '../helpers/services-project.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../../bin/run.cjs', import.meta.url));
const example = fileURLToPath(new URL('../../../examples/shop', import.meta.url));

// The example's toolchains are installed by poly up itself, from the test mirror
// (this machine's real toolchains in the official layouts): the README's demo, as a test.
describe('examples/shop: Python, Go and Node services talking through injected URLs', () => {
  const root = mkdtempSync(join(tmpdir(), 'poly-shop-'));
  const token = randomBytes(8).toString('hex');
  cpSync(example, root, { recursive: true });
  appendFileSync(join(root, 'poly.toml'), `\n[env]\nPOLY_TEST_TOKEN = "${token}"\n`);
  let mirror: Mirror | undefined;
  let env: NodeJS.ProcessEnv = {};
  before(async () => {
    mirror = await startMirror({ runtimes: ['node', 'python', 'go'] });
    env = {
      ...process.env,
      ...mirror.env,
      POLY_HOME: join(root, '.home'),
      POLY_CONFIG_DIR: join(root, '.config'),
    };
  });
  after(async () => {
    await mirror?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('comes up healthy in dependency order and serves the page through all three', async () => {
    const up = await run(process.execPath, [bin, 'up', '-d', '--json'], { cwd: root, env, timeout: 240_000 });
    const result = JSON.parse(up.stdout) as {
      services: Array<{ name: string; state: string; url: string; startedAt: number; healthyAt: number }>;
    };
    const by = Object.fromEntries(result.services.map((s) => [s.name, s]));
    assert.deepEqual(
      result.services.map((s) => [s.name, s.state]),
      [
        ['catalog', 'healthy'],
        ['gateway', 'healthy'],
        ['web', 'healthy'],
      ],
    );
    assert.ok(by.gateway!.startedAt >= by.catalog!.healthyAt);
    assert.ok(by.web!.startedAt >= by.gateway!.healthyAt);
    const page = await (await fetch(`${by.web!.url}/`)).text();
    assert.match(page, /<li>Teapot: 18\.50 €<\/li>/);

    await run(process.execPath, [bin, 'down'], { cwd: root, env, timeout: 60_000 });
    assert.deepEqual(processesWithToken(token), []);
  });
});
