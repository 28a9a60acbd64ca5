import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseManifest } from '../../src/core/manifest/load.js';
import { runPoly, tempHome } from '../helpers/poly-cli.js';

describe('poly init (real CLI, no terminal)', () => {
  const home = tempHome();
  after(home.cleanup);

  it('pins node, python, rust, go and java from the files the folder has', async () => {
    const dir = join(home.dir, 'five');
    mkdirSync(dir);
    writeFileSync(join(dir, '.nvmrc'), 'v22.11.0\n');
    writeFileSync(join(dir, '.python-version'), '3.12.7\n');
    writeFileSync(
      join(dir, 'rust-toolchain.toml'),
      '[toolchain]\nchannel = "1.82.0"\ncomponents = ["clippy"]\n',
    );
    writeFileSync(join(dir, 'go.mod'), 'module example.com/five\n\ngo 1.22\n\ntoolchain go1.23.2\n');
    writeFileSync(join(dir, '.java-version'), '21\n');

    const r = await runPoly(['init'], { cwd: dir, env: home.env });
    assert.equal(r.exitCode, 0, r.stderr);
    const text = readFileSync(join(dir, 'poly.toml'), 'utf8');
    const m = parseManifest(text, join(dir, 'poly.toml'));
    assert.deepEqual(m.runtimes, {
      node: { runtime: 'node', spec: '22.11.0' },
      python: { runtime: 'python', spec: '3.12.7' },
      go: { runtime: 'go', spec: '1.23.2' },
      java: { runtime: 'java', spec: '21', distribution: 'temurin' },
      rust: { runtime: 'rust', spec: '1.82.0' },
    });
    assert.equal(m.project.name, 'five');
    // Where each pin came from: in poly.toml and in the output.
    const sources: [string, string][] = [
      ['node', '.nvmrc'],
      ['python', '.python-version'],
      ['go', 'go.mod'],
      ['java', '.java-version'],
      ['rust', 'rust-toolchain.toml'],
    ];
    for (const [runtime, file] of sources) {
      assert.match(text, new RegExp(`^${runtime} = "[^"]+" *# from ${file.replace('.', '\\.')}`, 'm'));
      assert.match(r.stdout, new RegExp(`pinned +${runtime} = "[^"]+" +from ${file.replace('.', '\\.')}`));
    }
  });

  it('refuses to overwrite poly.toml, leaving it as it was', async () => {
    const dir = join(home.dir, 'existing');
    mkdirSync(dir);
    writeFileSync(join(dir, 'poly.toml'), '# mine\n[runtimes]\nnode = "20"\n');
    writeFileSync(join(dir, '.nvmrc'), '22\n');
    const r = await runPoly(['init', '--yes'], { cwd: dir, env: home.env });
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /^error: .*poly\.toml already exists; poly init does not overwrite it\nhint: /);
    assert.equal(readFileSync(join(dir, 'poly.toml'), 'utf8'), '# mine\n[runtimes]\nnode = "20"\n');
  });

  it('works on an empty folder through -C and returns JSON', async () => {
    const dir = join(home.dir, 'empty');
    mkdirSync(dir);
    const r = await runPoly(['init', '-C', dir, '--name', 'blank', '--json'], {
      cwd: home.dir,
      env: home.env,
    });
    assert.equal(r.exitCode, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { file: string; name: string; pinned: unknown[] };
    assert.equal(result.file, join(dir, 'poly.toml'));
    assert.equal(result.name, 'blank');
    assert.deepEqual(result.pinned, []);
    const m = parseManifest(readFileSync(join(dir, 'poly.toml'), 'utf8'), join(dir, 'poly.toml'));
    assert.deepEqual(m.runtimes, {});
  });
});
