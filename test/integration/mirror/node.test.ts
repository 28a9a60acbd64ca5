import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sha256File } from '../../helpers/mirror/cache.js';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';
import {
  download,
  getJson,
  getText,
  output,
  parseShasums,
  removeTempDirs,
  sha256Url,
  unpackUrl,
} from './support.js';

interface NodeIndexEntry {
  version: string;
  date: string;
  files: string[];
  npm: string;
  lts: string | false;
}

describe('mirror: Node.js in the nodejs.org/dist layout', () => {
  let mirror: Mirror;
  before(async () => {
    mirror = await startMirror({ runtimes: ['node'] });
  });
  after(async () => {
    await mirror?.close();
    await removeTempDirs();
  });

  it('serves two real majors, newest first, in index.json and index.tab', async () => {
    const index = await getJson<NodeIndexEntry[]>(`${mirror.env.POLY_NODE_MIRROR}/index.json`);
    assert.equal(index.length, 2);
    assert.deepEqual(
      index.map((e) => e.version),
      mirror.versions.node.map((v) => `v${v}`),
    );
    const majors = index.map((e) => Number(e.version.slice(1).split('.')[0]));
    assert.notEqual(majors[0], majors[1]);
    assert.ok(majors[0]! > majors[1]!, 'newest first');
    for (const entry of index) {
      assert.match(entry.date, /^\d{4}-\d{2}-\d{2}$/);
      assert.match(entry.npm, /^\d+\.\d+\.\d+$/);
      assert.ok(entry.files.includes('linux-x64') && entry.files.includes('osx-arm64-tar'));
      assert.equal(typeof entry.lts, 'string', 'even majors are LTS');
    }
    const tab = (await getText(`${mirror.urls.node}/index.tab`)).trim().split('\n');
    assert.equal(tab[0]!.split('\t')[0], 'version');
    assert.deepEqual(
      tab.slice(1).map((row) => row.split('\t')[0]),
      index.map((e) => e.version),
    );
  });

  it('lists four platforms with distinct checksums in SHASUMS256.txt, matching the bytes served', async () => {
    for (const version of mirror.versions.node) {
      const sums = parseShasums(await getText(`${mirror.urls.node}/v${version}/SHASUMS256.txt`));
      const names = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64'].map(
        (p) => `node-v${version}-${p}.tar.gz`,
      );
      assert.deepEqual([...sums.keys()].sort(), [...names].sort());
      assert.equal(new Set(sums.values()).size, 4, 'distinct checksums');
      for (const name of names) {
        const served = await sha256Url(`${mirror.urls.node}/v${version}/${name}`);
        assert.equal(served.status, 200);
        assert.equal(served.sha256, sums.get(name), name);
      }
    }
  });

  it('serves archives that unpack to a working node, npm and npx at the listed version', async () => {
    for (const version of mirror.versions.node) {
      const archive = await unpackUrl(
        `${mirror.urls.node}/v${version}/node-v${version}-linux-x64.tar.gz`,
        'node',
      );
      const root = join(archive.dir, `node-v${version}-linux-x64`);
      const bin = join(root, 'bin');
      assert.equal((await output(join(bin, 'node'), ['-v'])).trim(), `v${version}`);
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
      const index = await getJson<NodeIndexEntry[]>(`${mirror.urls.node}/index.json`);
      const npm = index.find((e) => e.version === `v${version}`)!.npm;
      assert.equal((await output(join(bin, 'npm'), ['-v'], env)).trim(), npm);
      assert.equal((await output(join(bin, 'npx'), ['-v'], env)).trim(), npm);
    }
  });

  it('answers 404 for a version it does not serve', async () => {
    const missing = await download(`${mirror.urls.node}/v0.0.1/node-v0.0.1-linux-x64.tar.gz`);
    assert.equal(missing.status, 404);
    assert.ok(
      mirror.requests.some((r) => r.path.endsWith('node-v0.0.1-linux-x64.tar.gz') && r.status === 404),
    );
  });

  it('lists every archive it serves with its URL and checksum', async () => {
    assert.equal(mirror.archives.length, 8);
    const real = mirror.archives.filter((a) => a.real);
    assert.equal(real.length, 2);
    for (const archive of real) {
      assert.equal(archive.platform, 'linux-x64');
      assert.equal(await sha256File(archive.file!), archive.sha256, 'the cached file is what is served');
    }
  });
});
