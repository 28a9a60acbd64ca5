import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'smol-toml';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';
import {
  download,
  getText,
  output,
  parseShasums,
  removeTempDirs,
  run,
  sha256Url,
  tempDir,
  unpackUrl,
} from './support.js';

interface ChannelTarget {
  available: boolean;
  url: string;
  hash: string;
  components?: { pkg: string; target: string }[];
}
interface Channel {
  'manifest-version': string;
  date: string;
  pkg: Record<string, { version: string; target: Record<string, ChannelTarget> }>;
}

const HOST = 'x86_64-unknown-linux-gnu';
const TRIPLES = [HOST, 'aarch64-unknown-linux-gnu', 'x86_64-apple-darwin', 'aarch64-apple-darwin'];

describe('mirror: Rust in the static.rust-lang.org layout', () => {
  let mirror: Mirror;
  let version: string;
  before(async () => {
    mirror = await startMirror({ runtimes: ['rust'] });
    version = mirror.versions.rust[0]!;
  });
  after(async () => {
    await mirror?.close();
    await removeTempDirs();
  });

  it('serves channel manifests for stable and the version, with their .sha256', async () => {
    const stable = await getText(`${mirror.env.POLY_RUST_MIRROR}/dist/channel-rust-stable.toml`);
    assert.equal(await getText(`${mirror.urls.rust}/dist/channel-rust-${version}.toml`), stable);
    const sums = parseShasums(await getText(`${mirror.urls.rust}/dist/channel-rust-stable.toml.sha256`));
    assert.equal(
      sums.get('channel-rust-stable.toml'),
      (await download(`${mirror.urls.rust}/dist/channel-rust-stable.toml`)).sha256,
    );
    const channel = parse(stable) as unknown as Channel;
    assert.equal(channel['manifest-version'], '2');
    assert.match(channel.date, /^\d{4}-\d{2}-\d{2}$/);
    for (const pkg of ['rust', 'rustc', 'cargo', 'rust-std', 'clippy-preview', 'rustfmt-preview']) {
      const entry = channel.pkg[pkg]!;
      assert.ok(entry, pkg);
      assert.deepEqual(Object.keys(entry.target).sort(), [...TRIPLES].sort(), pkg);
      assert.equal(
        new Set(Object.values(entry.target).map((t) => t.hash)).size,
        4,
        `${pkg}: distinct hashes`,
      );
    }
    assert.ok(channel.pkg.rust!.version.startsWith(`${version} (`));
    assert.deepEqual(
      channel.pkg.rust!.target[HOST]!.components!.map((c) => c.pkg),
      ['rustc', 'cargo', 'rust-std', 'clippy-preview', 'rustfmt-preview'],
    );
  });

  it('serves every archive the channel links to with the hash it gives', async () => {
    const channel = parse(
      await getText(`${mirror.urls.rust}/dist/channel-rust-stable.toml`),
    ) as unknown as Channel;
    for (const [pkg, entry] of Object.entries(channel.pkg)) {
      for (const [triple, target] of Object.entries(entry.target)) {
        assert.equal(target.available, true);
        assert.ok(target.url.startsWith(`${mirror.urls.rust}/dist/${channel.date}/`), target.url);
        const served = await sha256Url(target.url);
        assert.equal(served.sha256, target.hash, `${pkg} ${triple}`);
      }
    }
  });

  it('serves the whole toolchain whose install.sh --prefix yields working rustc, cargo, clippy and rustfmt', async () => {
    const name = `rust-${version}-${HOST}.tar.gz`;
    const archive = await unpackUrl(`${mirror.urls.rust}/dist/${name}`, 'rust');
    assert.equal(
      parseShasums(await getText(`${mirror.urls.rust}/dist/${name}.sha256`)).get(name),
      archive.sha256,
    );
    const top = join(archive.dir, `rust-${version}-${HOST}`);
    const prefix = join(await tempDir('rust-prefix'), 'toolchain');
    await run(join(top, 'install.sh'), [`--prefix=${prefix}`]);
    const env = { PATH: `${join(prefix, 'bin')}:/usr/bin:/bin`, HOME: process.env.HOME ?? '/tmp' };
    assert.match(
      await output(join(prefix, 'bin', 'rustc'), ['--version'], env),
      new RegExp(`^rustc ${version} `),
    );
    assert.match(await output(join(prefix, 'bin', 'cargo'), ['--version'], env), /^cargo \d+\.\d+\.\d+/);
    assert.match(await output(join(prefix, 'bin', 'cargo'), ['clippy', '--version'], env), /^clippy /);
    assert.match(await output(join(prefix, 'bin', 'rustfmt'), ['--version'], env), /^rustfmt /);
    const work = await tempDir('rust-hello');
    await writeFile(join(work, 'hello.rs'), 'fn main() { println!("hello from rust"); }\n');
    await run(join(prefix, 'bin', 'rustc'), [join(work, 'hello.rs'), '-o', join(work, 'hello')], { env });
    assert.equal((await output(join(work, 'hello'), [])).trim(), 'hello from rust');
    const installed = (await readFile(join(prefix, 'lib', 'rustlib', 'components'), 'utf8'))
      .trim()
      .split('\n');
    assert.deepEqual(installed, ['rustc', 'cargo', `rust-std-${HOST}`, 'clippy-preview', 'rustfmt-preview']);
  });
});
