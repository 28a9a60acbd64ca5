import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const LOADER = fileURLToPath(new URL('../../../src/cli/bundle-loader.js', import.meta.url));

/**
 * A bundle as scripts/bundle.mjs writes one: CommonJS whose import()s are __polyImport calls.
 * Its function reaches a Node module and a package only when called, after the load, as a fast
 * path's lazy parts do.
 */
const BUNDLE = `exports.go = async () => {
  const os = await __polyImport("node:os");
  const toml = await __polyImport("smol-toml");
  return os.platform() + " " + toml.parse('a = 1').a;
};`;

describe('the bundle loader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-bundle-loader-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'lazy.cjs');
  const cache = join(dir, 'cache', 'lazy.v8');
  writeFileSync(file, BUNDLE);
  // Each run is its own Node process: the cache is written when one exits.
  const run = () =>
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { loadScript } = await import(${JSON.stringify(LOADER)});
console.log(await loadScript(${JSON.stringify(file)}, ${JSON.stringify(cache)}).go());`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );

  it('runs a bundle and keeps its code; its lazy imports work from the cached code too', () => {
    // Given no cache yet, When the bundle runs, Then its imports answer and the code is kept
    assert.equal(run(), `${process.platform} 1\n`);
    assert.ok(existsSync(cache), 'the first run kept its code');
    const kept = statSync(cache);
    // When it runs from that code, Then the same imports answer (Node 20 forgets a vm.Script's
    // import() callback in cached code: a bare import() there failed) and the cache stands
    assert.equal(run(), `${process.platform} 1\n`);
    assert.equal(statSync(cache).ino, kept.ino);
  });
});
