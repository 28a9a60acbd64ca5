import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runPoly, tempHome } from '../helpers/poly-cli.js';

/**
 * The bundled fast paths start from V8's code of an earlier run (src/cli/bundle-loader.ts), kept
 * in the store: the first run writes it, later runs take it as it is, a cache V8 refuses is
 * replaced, and a store that cannot take one costs nothing but the compile.
 */
describe('the fast paths compiled code, kept in the store', () => {
  const home = tempHome('poly-code-cache-');
  const project = join(home.dir, 'project');
  const cacheDir = join(home.env.POLY_HOME ?? '', 'cache', 'compile');
  const lsCache = () => readdirSync(cacheDir).filter((f) => f.startsWith('ls-'));
  before(() => {
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'poly.toml'), '[project]\nname = "cached"\n');
  });
  after(home.cleanup);

  it('the first poly ls writes its code; the second takes it without writing again', async () => {
    // Given a store that has never run this build of poly ls: it holds an earlier build's cache,
    // one of another Node, and another fast path's
    const thisNode = `-${process.version}-${process.arch}.v8`;
    const earlier = `ls-0123456789abcdef${thisNode}`;
    const others = [
      `ls-0123456789abcdef-v18.20.0-${process.arch}.v8`,
      `hook-env-0123456789abcdef${thisNode}`,
    ];
    mkdirSync(cacheDir, { recursive: true });
    for (const name of [earlier, ...others]) writeFileSync(join(cacheDir, name), 'old');
    // When it runs once
    const first = await runPoly(['ls'], { cwd: project, env: home.env });
    assert.equal(first.exitCode, 0, first.stderr);
    // Then its code is kept, named for this build of ls and this Node, in place of the earlier
    // build's; what other Nodes and other paths read stays
    assert.deepEqual(readdirSync(cacheDir).filter((f) => f !== earlier && !others.includes(f)).length, 1);
    assert.ok(!readdirSync(cacheDir).includes(earlier), 'the earlier build of ls is replaced');
    for (const name of others) assert.ok(readdirSync(cacheDir).includes(name), `${name} stays`);
    const [file, ...more] = lsCache().filter((f) => !others.includes(f));
    assert.ok(file, `no ls cache in ${cacheDir}`);
    assert.deepEqual(more, []);
    assert.match(file, new RegExp(`^ls-[0-9a-f]{16}-${process.version}-${process.arch}\\.v8$`));
    const written = statSync(join(cacheDir, file));
    assert.ok(written.size > 1000, `a cache of ${written.size} bytes`);
    // When it runs again
    const second = await runPoly(['ls'], { cwd: project, env: home.env });
    // Then the answer is the same and V8 took the cache: it was not replaced (a refused one is)
    assert.deepEqual(second, first);
    const after = statSync(join(cacheDir, file));
    assert.equal(after.ino, written.ino);
    assert.equal(after.mtimeMs, written.mtimeMs);
  });

  it('a cache V8 refuses is replaced, and the command answers as before', async () => {
    const [file = ''] = lsCache().filter((f) => f.endsWith(`-${process.version}-${process.arch}.v8`));
    const path = join(cacheDir, file);
    const before = await runPoly(['ls'], { cwd: project, env: home.env });
    // Given a cache file that is no code V8 wrote (a truncated or foreign file)
    writeFileSync(path, Buffer.alloc(4096, 7));
    const damaged = statSync(path);
    // When poly ls runs
    const run = await runPoly(['ls'], { cwd: project, env: home.env });
    // Then it answers as it did, and writes a good cache in the bad one's place
    assert.deepEqual(run, before);
    const replaced = statSync(path);
    assert.notEqual(replaced.ino, damaged.ino);
    assert.ok(replaced.size > 1000);
  });

  it('a store where no cache can be written still answers', async () => {
    // Given a fresh store whose cache folder is a file (no mode stops root; this stops anyone)
    const blocked = tempHome('poly-code-cache-blocked-');
    try {
      const cache = join(blocked.env.POLY_HOME ?? '', 'cache');
      mkdirSync(cache, { recursive: true });
      writeFileSync(join(cache, 'compile'), 'not a folder\n');
      // When poly ls runs, Then it answers as in any store, and the file is as it was
      const run = await runPoly(['ls'], { cwd: project, env: blocked.env });
      assert.equal(run.exitCode, 0, run.stderr);
      assert.equal(run.stdout, 'No toolchains installed.');
      assert.equal(readFileSync(join(cache, 'compile'), 'utf8'), 'not a folder\n');
      assert.deepEqual(readdirSync(cache), ['compile']);
    } finally {
      blocked.cleanup();
    }
  });
});
