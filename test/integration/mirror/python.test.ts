import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';
import { getJson, getText, output, parseShasums, removeTempDirs, sha256Url, unpackUrl } from './support.js';

interface PythonDownload {
  name: string;
  arch: { family: string; variant: string | null };
  os: string;
  libc: string;
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
  url: string;
  sha256: string;
  variant: string | null;
  build: string;
}

describe('mirror: CPython in the python-build-standalone layout', () => {
  let mirror: Mirror;
  before(async () => {
    mirror = await startMirror({ runtimes: ['python'] });
  });
  after(async () => {
    await mirror?.close();
    await removeTempDirs();
  });

  it("indexes 3.11 and 3.12 for four platforms in uv's download-metadata.json format", async () => {
    const index = await getJson<Record<string, PythonDownload>>(mirror.env.POLY_PYTHON_INDEX_URL!);
    const minors = new Set(Object.values(index).map((d) => `${d.major}.${d.minor}`));
    assert.ok(minors.has('3.11') && minors.has('3.12'), [...minors].join(' '));
    for (const version of mirror.versions.python) {
      const keys = ['linux-x86_64-gnu', 'linux-aarch64-gnu', 'darwin-x86_64-none', 'darwin-aarch64-none'].map(
        (p) => `cpython-${version}-${p}`,
      );
      for (const key of keys) assert.ok(index[key], `${key} in the index`);
      assert.equal(new Set(keys.map((k) => index[k]!.sha256)).size, 4, 'distinct checksums');
    }
    const entry = index[`cpython-${mirror.versions.python[0]}-linux-x86_64-gnu`]!;
    assert.equal(entry.name, 'cpython');
    assert.deepEqual(entry.arch, { family: 'x86_64', variant: null });
    assert.equal(entry.libc, 'gnu');
    assert.equal(entry.prerelease, '');
    assert.match(entry.build, /^\d{8}$/);
    assert.ok(
      entry.url.startsWith(`${mirror.env.POLY_PYTHON_MIRROR}/${entry.build}/cpython-`) &&
        entry.url.includes('%2B'),
      entry.url,
    );
  });

  it('serves assets whose sha256 matches the index and the release SHA256SUMS', async () => {
    const index = await getJson<Record<string, PythonDownload>>(mirror.urls.pythonIndex);
    const builds = new Set(Object.values(index).map((d) => d.build));
    for (const build of builds) {
      const sums = parseShasums(await getText(`${mirror.urls.python}/${build}/SHA256SUMS`));
      for (const entry of Object.values(index).filter((d) => d.build === build)) {
        const name = decodeURIComponent(entry.url.split('/').pop()!);
        assert.equal(sums.get(name), entry.sha256, name);
        const served = await sha256Url(entry.url);
        assert.equal(served.sha256, entry.sha256, name);
      }
    }
    // A literal + in the path works too, as it does on the official host.
    const first = Object.values(index)[0]!;
    assert.equal((await sha256Url(first.url.replace('%2B', '+'))).sha256, first.sha256);
  });

  it('serves relocatable Pythons: python3 imports ssl, sqlite3, venv from the unpacked copy, pip runs', async () => {
    const index = await getJson<Record<string, PythonDownload>>(mirror.urls.pythonIndex);
    for (const version of mirror.versions.python) {
      const entry = index[`cpython-${version}-linux-x86_64-gnu`]!;
      const root = join((await unpackUrl(entry.url, 'python')).dir, 'python');
      const env = { PATH: '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
      const probe = [
        'import ssl, sqlite3, venv, sys',
        'maps = open("/proc/self/maps").read()',
        'lib = [l.split()[-1] for l in maps.splitlines() if "libpython" in l][0]',
        'print(sys.version.split()[0], sys.prefix, lib, sep="\\n")',
      ].join('; ');
      const [printed, prefix, libpython] = (await output(join(root, 'bin', 'python3'), ['-c', probe], env))
        .trim()
        .split('\n');
      assert.equal(printed, version);
      assert.equal(prefix, root);
      assert.ok(libpython!.startsWith(`${root}/lib/`), `libpython loaded from ${libpython}`);
      assert.match(
        await output(join(root, 'bin', 'pip3'), ['--version'], env),
        new RegExp(`from ${root}/lib/`),
      );
    }
  });
});
