import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import type { PolyError } from '../../../src/core/errors.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { POLY_BIN } from '../../helpers/poly-cli.js';

const BROKEN = `[project]
nmae = "shop"

[runtimes]
nod = "22"
python = "3.12"

[services.api]
run = "node server.js"
port = "eighty"

[services.Web]
run = "x"
`;

// #17 messages: every problem of poly.toml in one run (up to 20), each with its place and hint.
describe('poly.toml: all problems at once', () => {
  it('names each broken part with file:line:column and its own hint', () => {
    assert.throws(
      () => parseManifest(BROKEN, '/p/poly.toml'),
      (err: PolyError) => {
        assert.equal(err.exitCode, 2);
        const lines = err.message.split('\n');
        assert.deepEqual(
          lines
            .filter((l) => !l.startsWith('  hint: '))
            .map((l) => l.replace(/^error: /, '').replace(/: .*/, '')),
          ['/p/poly.toml:2:1', '/p/poly.toml:5:1', '/p/poly.toml:10:1', '/p/poly.toml:12:1'],
        );
        assert.match(lines[0] ?? '', /unknown key "nmae" in \[project\].*Did you mean "name"\?/);
        assert.equal(lines[1], '  hint: Rename "nmae" to "name".');
        assert.match(err.message, /unknown runtime "nod"/);
        assert.match(err.message, /service name "Web" must start with a lowercase letter/);
        assert.equal(err.hint, '4 problems in /p/poly.toml; fix them, then run the command again.');
        return true;
      },
    );
  });

  it('stops at 20', () => {
    const many = `[project]\n${Array.from({ length: 30 }, (_, i) => `bad${i} = 1`).join('\n')}\n`;
    assert.throws(
      () => parseManifest(many, '/p/poly.toml'),
      (err: PolyError) => {
        assert.equal(err.message.split('\n').filter((l) => !l.startsWith('  hint: ')).length, 20);
        assert.equal(
          err.hint,
          '20 problems in /p/poly.toml (showing the first 20); fix them, then run the command again.',
        );
        return true;
      },
    );
  });

  it('one problem reads as before: one error, one hint', () => {
    assert.throws(
      () => parseManifest('[runtimes]\nnod = "22"\n', '/p/poly.toml'),
      (err: PolyError) => !err.message.includes('\n') && err.hint === 'Rename "nod" to "node".',
    );
  });

  it('the CLI prints them all and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poly-allerr-'));
    try {
      writeFileSync(join(dir, 'poly.toml'), BROKEN);
      const r = await execa(process.execPath, [POLY_BIN, 'install'], {
        cwd: dir,
        env: { POLY_HOME: join(dir, 'h'), POLY_CONFIG_DIR: join(dir, 'c'), CI: '' },
        reject: false,
      });
      assert.equal(r.exitCode, 2);
      assert.equal(String(r.stderr).match(/^error: /gm)?.length, 4, String(r.stderr));
      assert.match(
        String(r.stderr),
        /\nhint: 4 problems in poly\.toml; fix them, then run the command again\.$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
