import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { composeEnvironment } from '../../../src/core/env/compose.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { type StoreLayout, storeLayout } from '../../../src/core/store/layout.js';

const linux = { os: 'linux', arch: 'x64' } as const;

describe('composeEnvironment', () => {
  let dir: string;
  let layout: StoreLayout;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'poly-compose-'));
    layout = storeLayout({ POLY_HOME: join(dir, 'home'), POLY_CONFIG_DIR: join(dir, 'config') });
    for (const [runtime, version] of [
      ['node', '20.11.1'],
      ['node', '22.3.0'],
      ['python', '3.12.4'],
      ['go', '1.23.2'],
      ['java', '21.0.4'],
      ['rust', '1.82.0'],
    ])
      mkdirSync(join(layout.installs, runtime as string, version as string, 'bin'), { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const manifest = (toml: string) => parseManifest(toml, join(dir, 'proj', 'poly.toml'));
  const installed = (runtime: string, version: string) => join(layout.installs, runtime, version);

  it('interpolates [env] for commands outside a service; a service-only variable reads empty without a notice', () => {
    const delta = composeEnvironment(
      manifest(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
        '[runtimes]\ngo = "1.23"\n[env]\nGO_BIN = "${GOROOT}/bin"\nCATALOG = "${CATALOG_ADDR}"\nTYPO = "x${NOPE}"\n' +
          '[services.catalog]\nrun = "x"\nport = 4100\n',
      ),
      { layout, platform: linux, source: 'project', host: process.env },
    );
    assert.equal(delta.set.GO_BIN, `${installed('go', '1.23.2')}/bin`);
    assert.equal(delta.set.CATALOG, '');
    assert.equal(delta.set.TYPO, 'x');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
    assert.deepEqual(delta.notices, ['${NOPE} is not set; it reads as empty outside a service']);
    assert.equal(delta.toolchainSet?.GO_BIN, undefined);
    assert.equal(delta.serviceDirs?.catalog, join(dir, 'proj'));
  });

  it('puts the venv, then each pinned toolchain in [runtimes] order, first on PATH', () => {
    const delta = composeEnvironment(manifest('[runtimes]\ngo = "1.23"\nnode = "22"\npython = "3.12"\n'), {
      layout,
      platform: linux,
      source: 'project',
      host: process.env,
    });
    assert.deepEqual(delta.pathPrepend, [
      join(dir, 'proj', '.venv', 'bin'),
      join(installed('go', '1.23.2'), 'bin'),
      join(installed('node', '22.3.0'), 'bin'),
      join(installed('python', '3.12.4'), 'bin'),
    ]);
    assert.equal(delta.set.GOROOT, installed('go', '1.23.2'));
    assert.equal(delta.set.VIRTUAL_ENV, join(dir, 'proj', '.venv'));
    assert.deepEqual(delta.unset, ['PYTHONHOME']);
    assert.deepEqual(delta.venv, {
      dir: join(dir, 'proj', '.venv'),
      binDir: join(dir, 'proj', '.venv', 'bin'),
      pythonVersion: '3.12.4',
    });
  });

  it('sets JAVA_HOME and RUSTUP_TOOLCHAIN to the install dirs, and leaves CARGO_HOME alone', () => {
    const delta = composeEnvironment(manifest('[runtimes]\njava = "21"\nrust = "1.82"\n'), {
      layout,
      platform: linux,
      source: 'project',
      host: process.env,
    });
    assert.equal(delta.set.JAVA_HOME, installed('java', '21.0.4'));
    assert.equal(delta.set.RUSTUP_TOOLCHAIN, installed('rust', '1.82.0'));
    assert.equal(delta.set.CARGO_HOME, undefined);
  });

  it('on macOS, Java lives in Contents/Home', () => {
    const delta = composeEnvironment(manifest('[runtimes]\njava = "21"\n'), {
      layout,
      platform: { os: 'darwin', arch: 'arm64' },
      source: 'project',
      host: process.env,
    });
    assert.equal(delta.set.JAVA_HOME, join(installed('java', '21.0.4'), 'Contents', 'Home'));
    assert.deepEqual(delta.pathPrepend, [join(installed('java', '21.0.4'), 'Contents', 'Home', 'bin')]);
  });

  it("lets the manifest's [env] win over runtime variables, and ignores PATH there", () => {
    const delta = composeEnvironment(
      manifest('[runtimes]\ngo = "1"\n[env]\nGOROOT = "/custom/go"\nPATH = "/nope"\nRUST_LOG = "info"\n'),
      { layout, platform: linux, source: 'project', host: process.env },
    );
    assert.equal(delta.set.GOROOT, '/custom/go');
    assert.equal(delta.set.RUST_LOG, 'info');
    assert.equal(delta.set.PATH, undefined);
    assert.match(delta.notices.join('\n'), /PATH is ignored/);
  });

  it('lists pins with nothing installed as missing, and leaves "system" pins to the user', () => {
    const delta = composeEnvironment(manifest('[runtimes]\nnode = "18"\ngo = "system"\n'), {
      layout,
      platform: linux,
      source: 'project',
      host: process.env,
    });
    assert.deepEqual(delta.missing, ['node@18']);
    assert.deepEqual(delta.pathPrepend, []);
    assert.match(delta.notices[0] ?? '', /node@18 is not installed; run `poly install`/);
  });

  it('moves the venv with venv = "path", drops it with venv = false, and never makes one for the global file', () => {
    const moved = composeEnvironment(
      manifest('[runtimes]\npython = { version = "3.12", venv = "envs/py" }\n'),
      {
        layout,
        platform: linux,
        source: 'project',
        host: process.env,
      },
    );
    assert.equal(moved.venv?.dir, join(dir, 'proj', 'envs', 'py'));
    const off = composeEnvironment(manifest('[runtimes]\npython = { version = "3.12", venv = false }\n'), {
      layout,
      platform: linux,
      source: 'project',
      host: process.env,
    });
    assert.equal(off.venv, undefined);
    assert.equal(off.set.VIRTUAL_ENV, undefined);
    const global = composeEnvironment(manifest('[runtimes]\npython = "3.12"\n'), {
      layout,
      platform: linux,
      source: 'global',
      host: process.env,
    });
    assert.equal(global.venv, undefined);
    assert.deepEqual(global.pathPrepend, [join(installed('python', '3.12.4'), 'bin')]);
  });
});
