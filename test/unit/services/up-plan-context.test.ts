import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { requireManifest } from '../../../src/core/manifest/load.js';
import { planUp } from '../../../src/services/up/up.js';
import { testContext } from '../../helpers/context.js';

const MANIFEST = `[project]
name = "ctxplan"

[services.web]
path = "web"
run = "node server.js"
port = "auto"
`;

describe('planUp reads the environment of the context it is given, not of this process', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'poly-plan-ctx-')));
  mkdirSync(join(root, 'web'));
  writeFileSync(join(root, 'poly.toml'), MANIFEST);
  after(() => rmSync(root, { recursive: true, force: true }));

  it('takes log rotation and the proxy settings from ctx.env', async () => {
    // This process has neither (scripts/test.mjs turns the proxy off for every test).
    assert.equal(process.env.POLY_LOG_MAX_BYTES, undefined);
    const env = {
      ...process.env,
      POLY_HOME: join(root, 'home'),
      POLY_CONFIG_DIR: join(root, 'config'),
      POLY_LOG_MAX_BYTES: '4096',
      POLY_PROXY: 'on',
      POLY_PROXY_PORT: '10443',
    };
    const plan = await planUp(requireManifest(root), [], { ctx: testContext(env) });
    assert.deepEqual(plan.logRotation, { maxBytes: 4096 });
    assert.equal(plan.envs.web?.WEB_PUBLIC_URL, 'https://web.ctxplan.localhost:10443');

    const off = await planUp(requireManifest(root), [], {
      ctx: testContext({ ...env, POLY_LOG_MAX_BYTES: undefined, POLY_PROXY: 'off' }),
    });
    assert.deepEqual(off.logRotation, {});
    assert.equal(off.envs.web?.WEB_PUBLIC_URL, undefined);
  });
});
