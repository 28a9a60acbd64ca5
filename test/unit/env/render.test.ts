import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { HOOK_PROTOCOL, renderExports, renderHookScript } from '../../../src/core/env/render.js';
import { EMPTY_DELTA, type EnvironmentDelta, type ShellName } from '../../../src/core/env/types.js';

// Values that break naive quoting. Each must come out of a real shell byte for byte.
const NASTY = [
  "it's",
  'back\\slash',
  'trailing\\',
  "\\'",
  '$HOME and `date` and $(date)',
  'two\nlines',
  '"double" quotes',
  'ünïcödé ✓',
  '',
  '*.glob ?',
];

function deltaWith(value: string): EnvironmentDelta {
  return {
    ...EMPTY_DELTA,
    source: 'project',
    root: '/p',
    pathPrepend: ['/poly x/bin', "/it's/bin"],
    set: { V: value },
  };
}

function has(shell: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
}

describe('renderExports', () => {
  for (const shell of ['bash', 'zsh', 'fish'] as ShellName[]) {
    it(`${shell}: every value comes back exactly, PATH gets the folders first`, {
      skip: !has(shell) && `${shell} not installed`,
    }, () => {
      for (const value of NASTY) {
        const script = renderExports(deltaWith(value), shell);
        const print = `printf '%s|%s' "$V" "$PATH"`; // the same line in all three shells
        const r = spawnSync(shell, ['-c', `${script}\n${print}`], {
          encoding: 'utf8',
          env: { PATH: '/usr/bin:/bin' },
          // stdin a socket makes Debian's bash think sshd started it and read ~/.bashrc.
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, `${value}|/poly x/bin:/it's/bin:/usr/bin:/bin`, JSON.stringify(value));
      }
    });
  }

  it('unsets what the delta removes and prints nothing for an empty delta', () => {
    assert.equal(renderExports(EMPTY_DELTA, 'bash'), '');
    assert.match(renderExports({ ...EMPTY_DELTA, unset: ['PYTHONHOME'] }, 'bash'), /^unset PYTHONHOME$/m);
    assert.match(renderExports({ ...EMPTY_DELTA, unset: ['PYTHONHOME'] }, 'fish'), /^set -e PYTHONHOME$/m);
  });
});

describe('renderHookScript', () => {
  it('sourced by dash with stub functions, hands every value over exactly', () => {
    for (const value of NASTY) {
      const script = renderHookScript(deltaWith(value), 'sh', '/home/p');
      const stubs = [
        '__poly_begin() { printf "begin:%s:%s:%s\\n" "$1" "$2" "$3"; }',
        '__poly_path() { printf "path:%s\\n" "$1"; }',
        '__poly_export() { printf "%s=%s|" "$1" "$2"; }',
        '__poly_unset() { :; }',
        '__poly_notice() { :; }',
        '__poly_end() { printf "\\nend"; }',
      ].join('\n');
      const r = spawnSync('/bin/sh', ['-c', `${stubs}\n${script}`], { encoding: 'utf8' });
      assert.equal(
        r.stdout,
        `begin:${HOOK_PROTOCOL}:/home/p:/p\npath:/poly x/bin:/it's/bin\nV=${value}|\nend`,
      );
    }
  });
});
