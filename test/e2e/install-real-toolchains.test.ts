import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'smol-toml';
import { type Mirror, startMirror } from '../helpers/mirror/index.js';

const POLY = fileURLToPath(new URL('../../../bin/run.cjs', import.meta.url));
const run = promisify(execFile);

/**
 * Issue 3's "done when", for real: the mirror serves this machine's own Node,
 * Python, Go, Java and Rust repacked into the official layouts with real
 * checksums; one `poly install` installs all five, each binary runs at the
 * pinned version, poly.lock holds four platforms per runtime, and --frozen
 * reproduces the same install in a fresh POLY_HOME without changing the lock.
 */
describe('poly install of all five runtimes from official-layout archives', () => {
  const root = mkdtempSync(join(tmpdir(), 'poly-five-'));
  const project = join(root, 'project');
  let mirror: Mirror;
  const envFor = (home: string) => ({
    ...process.env,
    ...mirror.env,
    POLY_HOME: join(root, home),
    POLY_CONFIG_DIR: join(root, 'config'),
    CI: 'true',
  });
  const poly = (args: string[], home: string) =>
    run(process.execPath, [POLY, ...args], { cwd: project, env: envFor(home), timeout: 300_000 });
  const which = async (bin: string, home: string) => (await poly(['which', bin], home)).stdout.trim();
  const versionOf = async (bin: string, args: string[], home: string) => {
    const r = await run(await which(bin, home), args, { cwd: project, env: envFor(home) });
    return `${r.stdout}${r.stderr}`;
  };

  before(async () => {
    mirror = await startMirror();
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, 'poly.toml'),
      '[runtimes]\nnode = "20"\npython = "3.12"\ngo = "1.26"\njava = "temurin-17"\nrust = "1.95"\n',
    );
  });
  after(async () => {
    await mirror?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('installs all five in one run, and each binary runs at its pinned version', async () => {
    await poly(['install'], 'home-a');
    assert.match(await versionOf('node', ['-v'], 'home-a'), /^v20\./);
    assert.match(
      await versionOf('python3', ['-c', 'import ssl, sqlite3, sys; print(sys.version)'], 'home-a'),
      /^3\.12\./,
    );
    assert.match(await versionOf('go', ['version'], 'home-a'), /go version go1\.26\./);
    assert.match(await versionOf('java', ['-version'], 'home-a'), /version "17\./);
    assert.match(await versionOf('cargo', ['--version'], 'home-a'), /^cargo 1\.95\./);
    assert.match(await versionOf('rustc', ['--version'], 'home-a'), /^rustc 1\.95\./);
  });

  it('locks four platforms per runtime, and --frozen reproduces it in a fresh POLY_HOME', async () => {
    const lockText = readFileSync(join(project, 'poly.lock'), 'utf8');
    const lock = parse(lockText) as {
      runtimes: Record<string, { version: string; platforms: Record<string, unknown> }>;
    };
    assert.deepEqual(Object.keys(lock.runtimes).sort(), ['go', 'java', 'node', 'python', 'rust']);
    for (const [name, entry] of Object.entries(lock.runtimes)) {
      assert.deepEqual(
        Object.keys(entry.platforms).sort(),
        ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64'],
        `${name} locks every platform`,
      );
    }
    await poly(['install', '--frozen'], 'home-b');
    assert.equal(readFileSync(join(project, 'poly.lock'), 'utf8'), lockText, 'no churn');
    assert.match(await versionOf('node', ['-v'], 'home-b'), new RegExp(`^v${lock.runtimes.node?.version}`));
    assert.match(await versionOf('java', ['-version'], 'home-b'), /version "17\./);
  });
});
