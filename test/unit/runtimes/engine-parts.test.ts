import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { getRuntime } from '../../../runtimes/index.js';
import { PolyError } from '../../../src/core/errors.js';
import { unsafeEntryReason } from '../../../src/core/runtimes/archive-entries.js';
import { mirrorBase, readSetting, sourceContext } from '../../../src/core/runtimes/mirrors.js';
import { readAhead } from '../../../src/core/runtimes/read-ahead.js';
import { assembleRustToolchain, parseManifestIn } from '../../../src/core/runtimes/rust-components.js';
import { storeLayout } from '../../../src/core/store/layout.js';
import { type Lockfile, readLockfile, serializeLockfile } from '../../../src/core/store/lockfile.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'poly-unit-'));
}

describe('unsafeEntryReason', () => {
  it('accepts ordinary entries and links that stay inside', () => {
    assert.equal(unsafeEntryReason('node-v1/bin/node', 'File', undefined, 1), undefined);
    assert.equal(
      unsafeEntryReason('node-v1/bin/npm', 'SymbolicLink', '../lib/node_modules/npm/bin/npm-cli.js', 1),
      undefined,
    );
    assert.equal(unsafeEntryReason('node-v1/bin/x', 'Link', 'node-v1/bin/node', 1), undefined);
  });
  it('refuses .., absolute paths and links that point out', () => {
    assert.match(unsafeEntryReason('top/../../x', 'File', undefined, 1) ?? '', /climbs out/);
    assert.match(unsafeEntryReason('/etc/passwd', 'File', undefined, 1) ?? '', /absolute/);
    assert.match(unsafeEntryReason('top/bin/x', 'SymbolicLink', '../../x', 1) ?? '', /points outside/);
    assert.match(unsafeEntryReason('top/x', 'SymbolicLink', '/etc', 1) ?? '', /absolute/);
    assert.match(unsafeEntryReason('top/x', 'Link', 'top/../../y', 1) ?? '', /points outside/);
  });
});

describe('poly.lock', () => {
  const lock: Lockfile = {
    runtimes: {
      rust: {
        spec: 'stable',
        version: '1.82.0',
        source: 'official',
        platforms: {
          'darwin-arm64': { url: 'u4', checksum: 'sha256:4' },
          'linux-x64': { url: 'u1', checksum: 'sha256:1' },
        },
      },
      node: {
        spec: '22',
        version: '22.11.0',
        source: 'npm',
        platforms: { 'linux-arm64': { url: 'n2', checksum: 'sha512-x' } },
      },
    },
  };
  it('is written in one fixed order whatever the input order', () => {
    const reordered: Lockfile = { runtimes: { node: lock.runtimes.node!, rust: lock.runtimes.rust! } };
    const text = serializeLockfile(lock);
    assert.equal(serializeLockfile(reordered), text);
    assert.ok(text.indexOf('[runtimes.node]') < text.indexOf('[runtimes.rust]'));
    assert.ok(text.indexOf('platforms.linux-x64') < text.indexOf('platforms.darwin-arm64'));
  });
  it('reads back what it wrote', () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'poly.lock'), serializeLockfile(lock));
      assert.deepEqual(readLockfile(join(dir, 'poly.lock')), lock);
      assert.equal(
        serializeLockfile(readLockfile(join(dir, 'poly.lock'))!),
        readFileSync(join(dir, 'poly.lock'), 'utf8'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('mirror settings', () => {
  it('POLY_<RUNTIME>_MIRROR, then mirror.<runtime> from conf JSON, then the official host', async () => {
    const dir = tempDir();
    try {
      const layout = storeLayout({ POLY_HOME: join(dir, 'home'), POLY_CONFIG_DIR: join(dir, 'config') });
      const node = getRuntime('node');
      assert.equal(mirrorBase(node, layout, {}), 'https://nodejs.org/dist');
      mkdirSync(layout.configDir, { recursive: true });
      writeFileSync(
        join(layout.configDir, 'config.json'),
        JSON.stringify({ mirror: { node: 'http://corp.example/node/' } }),
      );
      assert.equal(readSetting(layout, 'mirror.node'), 'http://corp.example/node/');
      assert.equal(mirrorBase(node, layout, {}), 'http://corp.example/node');
      assert.equal(
        mirrorBase(node, layout, { POLY_NODE_MIRROR: 'http://env.example/n' }),
        'http://env.example/n',
      );
      const py = await sourceContext(getRuntime('python'), {}, layout, {
        POLY_PYTHON_INDEX_URL: 'http://i/x.json',
      });
      assert.equal(py.indexUrl, 'http://i/x.json');
      await assert.rejects(
        sourceContext(getRuntime('java'), { distribution: 'zulu' }, layout, {}),
        /not supported/,
      );
      // A broken settings file is named, never read as "no mirror" (which would go to the official host).
      writeFileSync(join(layout.configDir, 'config.json'), '{"mirror": {"node": "http://corp.example/node/"');
      assert.throws(
        () => mirrorBase(node, layout, {}),
        (err: unknown) =>
          err instanceof PolyError &&
          err.code === 'SETTINGS_UNREADABLE' &&
          err.message.startsWith(`${join(layout.configDir, 'config.json')} is not valid JSON: `),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Rust components', () => {
  it('assembles the toolchain from components and manifest.in, skipping docs', () => {
    const dir = tempDir();
    try {
      const u = join(dir, 'unpacked');
      const put = (p: string, c = 'x') => {
        mkdirSync(join(u, p, '..'), { recursive: true });
        writeFileSync(join(u, p), c);
      };
      put('components', 'rustc\ncargo\nrust-docs\n');
      put('rustc/manifest.in', 'file:bin/rustc\ndir:lib/rustlib/x/lib\n');
      put('rustc/bin/rustc', 'rustc');
      put('rustc/lib/rustlib/x/lib/a.rlib');
      put('cargo/manifest.in', 'file:bin/cargo\n');
      put('cargo/bin/cargo', 'cargo');
      put('rust-docs/manifest.in', 'file:share/doc/index.html\n');
      put('rust-docs/share/doc/index.html');
      assert.deepEqual(assembleRustToolchain(u, join(dir, 'out')), ['rustc', 'cargo']);
      assert.equal(readFileSync(join(dir, 'out/bin/cargo'), 'utf8'), 'cargo');
      assert.equal(readFileSync(join(dir, 'out/lib/rustlib/x/lib/a.rlib'), 'utf8'), 'x');
      assert.throws(() => parseManifestIn('file:../../etc/passwd'), /outside the toolchain/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readAhead', () => {
  it('passes every chunk in order, then the source error', async () => {
    async function* source() {
      yield new Uint8Array([1]);
      yield new Uint8Array([2, 3]);
      throw new Error('reset');
    }
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const c of readAhead(source(), 1)) seen.push(...c);
      })(),
      /reset/,
    );
    assert.deepEqual(seen, [1, 2, 3]);
  });
});

describe('listInstalled order', () => {
  it('newest first by each runtime’s rules, Java builds included', async () => {
    const { listInstalled } = await import('../../../src/core/runtimes/installed.js');
    const dir = tempDir();
    try {
      const layout = storeLayout({ POLY_HOME: dir, POLY_CONFIG_DIR: join(dir, 'c') });
      for (const v of ['21.0.5+9', '21.0.5+11', '17.0.13+11', '.tmp'])
        mkdirSync(join(layout.installs, 'java', v), { recursive: true });
      assert.deepEqual(listInstalled(layout, 'java'), ['21.0.5+11', '21.0.5+9', '17.0.13+11']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
