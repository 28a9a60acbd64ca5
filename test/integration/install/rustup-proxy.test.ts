import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { getRuntime } from '../../../runtimes/index.js';
import { findOnPath } from '../../../src/core/runtimes/system.js';
import { install } from '../../../src/services/install/install.js';
import { testContext } from '../../helpers/context.js';
import { mountAllRuntimes, tempPoly, writeManifest } from '../../helpers/install-fixtures.js';
import { startTinyDistServer, type TinyDistServer } from '../../helpers/tiny-dist-server.js';

describe("an installed rustup does not hijack the project's cargo", () => {
  let server: TinyDistServer;
  before(async () => {
    server = await startTinyDistServer();
  });
  after(() => server.close());

  it("rustup's cargo proxy runs poly's toolchain when poly's env is set", async (t) => {
    const rustupCargo = findOnPath('cargo', process.env);
    const isRustupProxy =
      rustupCargo &&
      findOnPath('rustup', process.env) &&
      execFileSync('rustup', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    if (!rustupCargo || !isRustupProxy) {
      t.skip('no rustup on PATH here');
      return;
    }
    const poly = tempPoly(mountAllRuntimes(server));
    try {
      writeManifest(poly.project, 'rust = "stable"');
      const r = await install({ cwd: poly.project, ctx: testContext(poly.env) });
      const dir = r.runtimes[0]!.dir;
      const env = { ...process.env, ...getRuntime('rust').env(dir, { os: 'linux', arch: 'x64' }) };
      // The synthetic toolchain's cargo prints 1.82.0 (8f40fc59f …); rustup's own default would not.
      assert.match(
        execFileSync(rustupCargo, ['--version'], { env, encoding: 'utf8' }),
        /^cargo 1\.82\.0 \(8f40fc59f/,
      );
    } finally {
      poly.cleanup();
    }
  });
});
