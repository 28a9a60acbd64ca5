import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PolyError } from '../../../src/core/errors.js';
import { parsePinArgument, pinRuntimes } from '../../../src/services/install/use.js';
import { tempHome } from '../../helpers/poly-cli.js';

const COMMENTED = `# shop: the storefront and its API
[project]
name = "shop"      # shown in poly ps

# Toolchains. Keep node on the LTS line.
[runtimes]
node   = "22"      # LTS
python = { version = "3.12", venv = ".venv" }   # uv-compatible
'java' = "temurin-17"

[env]
RUST_LOG = 'info'

[services.api]
path = "services/api"   # axum
runtime = "python"
run = "uvicorn app:app"
`;

/** Lines that differ between two texts of the same length in lines. */
function changedLines(before: string, after: string): number[] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length, 'line count unchanged');
  return a.flatMap((line, i) => (line === b[i] ? [] : [i + 1]));
}

describe('parsePinArgument', () => {
  it('splits runtime and spec, keeping java distributions', () => {
    assert.deepEqual(parsePinArgument('node@22'), { runtime: 'node', spec: '22' });
    assert.deepEqual(parsePinArgument('java@temurin-21'), { runtime: 'java', spec: 'temurin-21' });
    assert.deepEqual(parsePinArgument('python@>=3.11 <3.13'), { runtime: 'python', spec: '>=3.11 <3.13' });
  });
  it('reads a bare runtime as the latest, as `poly install` does (and mise)', () => {
    assert.deepEqual(parsePinArgument('node'), { runtime: 'node', spec: 'latest' });
  });
  it('refuses unknown runtimes, missing versions and bad specs as usage errors', () => {
    const usage = (message: RegExp) => (err: unknown) =>
      err instanceof PolyError && err.exitCode === 2 && message.test(err.message);
    assert.throws(() => parsePinArgument('nod@22'), usage(/unknown runtime "nod".*Did you mean "node"\?/));
    assert.throws(() => parsePinArgument('node@'), usage(/"node@" names no version after "@"/));
    assert.throws(() => parsePinArgument('node@22..1'), usage(/invalid version spec "22\.\.1" for node/));
  });
});

describe('pinRuntimes', () => {
  const home = tempHome();
  after(home.cleanup);

  it('changes only the pinned line of a commented poly.toml', () => {
    const dir = join(home.dir, 'commented');
    mkdirSync(join(dir, 'services', 'api'), { recursive: true });
    writeFileSync(join(dir, 'poly.toml'), COMMENTED);
    const result = pinRuntimes({
      cwd: join(dir, 'services', 'api'),
      pins: [parsePinArgument('node@20')],
      env: process.env,
    });
    assert.equal(result.file, join(dir, 'poly.toml'));
    assert.deepEqual(result.pins, [{ runtime: 'node', spec: '20', previous: '22' }]);
    const afterText = readFileSync(join(dir, 'poly.toml'), 'utf8');
    assert.deepEqual(changedLines(COMMENTED, afterText), [7]);
    assert.equal(afterText.split('\n')[6], 'node   = "20"      # LTS');
  });

  it('keeps a table pin a table and a CRLF file CRLF', () => {
    const dir = join(home.dir, 'crlf');
    mkdirSync(dir, { recursive: true });
    const crlf = COMMENTED.replace(/\n/g, '\r\n');
    writeFileSync(join(dir, 'poly.toml'), crlf);
    pinRuntimes({
      cwd: dir,
      pins: [parsePinArgument('python@3.13'), parsePinArgument('java@temurin-21')],
      env: process.env,
    });
    const afterText = readFileSync(join(dir, 'poly.toml'), 'utf8');
    assert.deepEqual(changedLines(crlf, afterText), [8, 9]);
    assert.match(afterText, /\r\npython = \{ version = "3\.13", venv = "\.venv" \} {3}# uv-compatible\r\n/);
    assert.match(afterText, /\r\n'java' = "temurin-21"\r\n/);
  });

  it("drops poly init's `# from <version file>` comment once the pin moves, and only that", () => {
    const dir = join(home.dir, 'imported');
    mkdirSync(dir, { recursive: true });
    const text = [
      '[runtimes]',
      'node = "20"          # from .nvmrc',
      'go = "1.26.0"        # from go.mod (go 1.26.0)',
      'java = "temurin-17"  # from the team wiki',
      '',
      '[env]',
      'NODE = "x"  # from .nvmrc',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'poly.toml'), text);
    pinRuntimes({
      cwd: dir,
      pins: ['node@22', 'go@1.26.0', 'java@temurin-21'].map(parsePinArgument),
      env: process.env,
    });
    assert.equal(
      readFileSync(join(dir, 'poly.toml'), 'utf8'),
      [
        '[runtimes]',
        'node = "22"',
        'go = "1.26.0"        # from go.mod (go 1.26.0)',
        'java = "temurin-21"  # from the team wiki',
        '',
        '[env]',
        'NODE = "x"  # from .nvmrc',
        '',
      ].join('\n'),
    );
  });

  it('adds a pin that was not there, leaving every existing line', () => {
    const dir = join(home.dir, 'add');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'poly.toml'), COMMENTED);
    pinRuntimes({ cwd: dir, pins: [parsePinArgument('go@1.23')], env: process.env });
    const afterText = readFileSync(join(dir, 'poly.toml'), 'utf8');
    assert.ok(afterText.includes('go = "1.23"'));
    assert.equal(afterText.replace(/^go = "1\.23"\n/m, ''), COMMENTED);
  });

  it('writes -g pins to the global manifest, creating it', () => {
    const result = pinRuntimes({
      cwd: home.dir,
      pins: [parsePinArgument('node@lts')],
      global: true,
      env: home.env,
    });
    assert.equal(result.file, join(home.env.POLY_CONFIG_DIR!, 'poly.toml'));
    assert.equal(result.created, true);
    assert.match(readFileSync(result.file, 'utf8'), /\[runtimes\]\nnode = "lts"\n/);
    const again = pinRuntimes({
      cwd: home.dir,
      pins: [parsePinArgument('node@22')],
      global: true,
      env: home.env,
    });
    assert.equal(again.created, false);
    assert.deepEqual(again.pins, [{ runtime: 'node', spec: '22', previous: 'lts' }]);
  });

  it('leaves a file it cannot validate untouched', () => {
    const dir = join(home.dir, 'broken');
    mkdirSync(dir, { recursive: true });
    const broken = '[runtimes]\nnode = "22"\n[services.api]\nruntime = "go"\nrun = "x"\n';
    writeFileSync(join(dir, 'poly.toml'), broken);
    assert.throws(
      () => pinRuntimes({ cwd: dir, pins: [parsePinArgument('node@20')], env: process.env }),
      /does not pin go/,
    );
    assert.equal(readFileSync(join(dir, 'poly.toml'), 'utf8'), broken);
  });

  it('says how to start when there is no poly.toml', () => {
    assert.throws(
      () => pinRuntimes({ cwd: '/', pins: [parsePinArgument('node@20')], env: process.env }),
      (err: unknown) => err instanceof PolyError && /poly init/.test(err.hint ?? ''),
    );
  });
});

describe('pinRuntimes on unusual files', () => {
  const home = tempHome();
  after(home.cleanup);

  it('keeps a UTF-8 BOM', () => {
    const dir = join(home.dir, 'bom');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'poly.toml'), '\uFEFF[runtimes]\nnode = "22"\n');
    pinRuntimes({ cwd: dir, pins: [parsePinArgument('node@20')], env: process.env });
    assert.equal(readFileSync(join(dir, 'poly.toml'), 'utf8'), '\uFEFF[runtimes]\nnode = "20"\n');
  });

  it('pins into an empty poly.toml', () => {
    const dir = join(home.dir, 'empty');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'poly.toml'), '');
    pinRuntimes({ cwd: dir, pins: [parsePinArgument('go@1.23')], env: process.env });
    assert.match(readFileSync(join(dir, 'poly.toml'), 'utf8'), /^\[runtimes\]\ngo = "1\.23"\n$/m);
  });

  it('refuses a binary poly.toml without touching it', () => {
    const dir = join(home.dir, 'binary');
    mkdirSync(dir, { recursive: true });
    const garbage = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]);
    writeFileSync(join(dir, 'poly.toml'), garbage);
    assert.throws(
      () => pinRuntimes({ cwd: dir, pins: [parsePinArgument('go@1.23')], env: process.env }),
      /not a text file/,
    );
    assert.deepEqual(readFileSync(join(dir, 'poly.toml')), garbage);
  });
});
