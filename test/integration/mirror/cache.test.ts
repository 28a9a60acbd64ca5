import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { cachedFile, mirrorCacheDir } from '../../helpers/mirror/cache.js';
import { removeTempDirs, run, tempDir } from './support.js';

describe('mirror: archive cache', () => {
  after(removeTempDirs);

  it('lives under POLY_TEST_CACHE when set', () => {
    assert.equal(mirrorCacheDir({ POLY_TEST_CACHE: '/x/y' }), join('/x/y', 'mirror', 'v1'));
    assert.match(mirrorCacheDir({}), /\.cache\/poly-test\/mirror\/v1$/);
  });

  it('builds once when callers race, and everyone gets the same file', async () => {
    const dir = await tempDir('cache-race');
    let builds = 0;
    const build = async (tmp: string) => {
      builds++;
      await sleep(300);
      await writeFile(tmp, 'archive bytes');
    };
    const results = await Promise.all([1, 2, 3].map(() => cachedFile(join(dir, 'a.tar.gz'), build)));
    assert.equal(builds, 1);
    assert.deepEqual(new Set(results.map((r) => r.sha256)).size, 1);
    assert.equal(results[0]!.size, 'archive bytes'.length);
    assert.equal(await readFile(join(dir, 'a.tar.gz'), 'utf8'), 'archive bytes');
    assert.deepEqual(
      (await readdir(dir)).sort(),
      ['a.tar.gz', 'a.tar.gz.meta.json'],
      'no temp files or locks left',
    );
  });

  it('builds once across two processes', async () => {
    const dir = await tempDir('cache-procs');
    const script = `
      import { cachedFile } from ${JSON.stringify(new URL('../../helpers/mirror/cache.js', import.meta.url).href)};
      import { appendFile, writeFile } from 'node:fs/promises';
      import { setTimeout as sleep } from 'node:timers/promises';
      const f = await cachedFile(process.argv[1] + '/b.tar.gz', async (tmp) => {
        await appendFile(process.argv[1] + '/builds.log', 'built\\n');
        await sleep(500);
        await writeFile(tmp, 'from ' + process.pid);
      });
      console.log(f.sha256);`;
    const outputs = await Promise.all(
      [1, 2].map(() => run(process.execPath, ['--input-type=module', '-e', script, dir])),
    );
    assert.equal(outputs[0]!.stdout, outputs[1]!.stdout);
    assert.equal(await readFile(join(dir, 'builds.log'), 'utf8'), 'built\n');
  });

  it('takes over a lock whose owner died and rebuilds after a build that failed', async () => {
    const dir = await tempDir('cache-stale');
    await mkdir(join(dir, 'c.tar.gz.lock'));
    await writeFile(join(dir, 'c.tar.gz.lock', 'pid'), '999999999');
    await assert.rejects(
      cachedFile(join(dir, 'c.tar.gz'), async () => {
        throw new Error('disk on fire');
      }),
      /disk on fire/,
    );
    const file = await cachedFile(join(dir, 'c.tar.gz'), (tmp) => writeFile(tmp, 'ok'));
    assert.equal(await readFile(file.path, 'utf8'), 'ok');
  });
});
