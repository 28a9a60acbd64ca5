import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';
import { getJson, getText, output, removeTempDirs, sha256Url, unpackUrl } from './support.js';

interface GoRelease {
  version: string;
  stable: boolean;
  files: {
    filename: string;
    os: string;
    arch: string;
    version: string;
    sha256: string;
    size: number;
    kind: string;
  }[];
}

describe('mirror: Go in the go.dev/dl layout', () => {
  let mirror: Mirror;
  before(async () => {
    mirror = await startMirror({ runtimes: ['go'] });
  });
  after(async () => {
    await mirror?.close();
    await removeTempDirs();
  });

  it('lists the release with four platform archives in the JSON index', async () => {
    const index = await getJson<GoRelease[]>(`${mirror.env.POLY_GO_MIRROR}?mode=json&include=all`);
    assert.deepEqual(
      index.map((r) => r.version),
      mirror.versions.go.map((v) => `go${v}`),
    );
    const [release] = index;
    assert.equal(release!.stable, true);
    assert.deepEqual(release!.files.map((f) => `${f.os}-${f.arch}`).sort(), [
      'darwin-amd64',
      'darwin-arm64',
      'linux-amd64',
      'linux-arm64',
    ]);
    assert.equal(new Set(release!.files.map((f) => f.sha256)).size, 4);
    for (const file of release!.files) {
      assert.equal(file.filename, `${release!.version}.${file.os}-${file.arch}.tar.gz`);
      assert.equal(file.kind, 'archive');
    }
  });

  it('redirects archive URLs like go.dev/dl does, to bytes whose sha256 the index and .sha256 give', async () => {
    const [release] = await getJson<GoRelease[]>(`${mirror.urls.go}?mode=json&include=all`);
    for (const file of release!.files) {
      const served = await sha256Url(`${mirror.urls.go}${file.filename}`);
      assert.equal(served.status, 200);
      assert.equal(served.sha256, file.sha256, file.filename);
      assert.equal(served.size, file.size);
      assert.equal((await getText(`${mirror.urls.go}${file.filename}.sha256`)).trim(), file.sha256);
    }
    const redirected = await fetch(`${mirror.urls.go}${release!.files[0]!.filename}`, { redirect: 'manual' });
    assert.equal(redirected.status, 302);
    assert.match(redirected.headers.get('location') ?? '', /\/go\/dl-files\//);
  });

  it('serves a linux-amd64 archive whose go/bin/go runs at that version', async () => {
    const version = mirror.versions.go[0]!;
    const archive = await unpackUrl(`${mirror.urls.go}go${version}.linux-amd64.tar.gz`, 'go');
    const goroot = join(archive.dir, 'go');
    const env = { ...process.env, GOROOT: goroot, GOTOOLCHAIN: 'local', GOFLAGS: '', GO111MODULE: 'off' }; // no stray go.mod above the temp dir can matter
    assert.match(
      await output(join(goroot, 'bin', 'go'), ['version'], env),
      new RegExp(`go version go${version} linux/amd64`),
    );
    assert.equal((await output(join(goroot, 'bin', 'go'), ['env', 'GOROOT'], env)).trim(), goroot);
  });
});
