import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatError } from '../../../src/core/format-error.js';
import { systemErrorToPolyError } from '../../../src/core/os-error.js';

/** The error a real filesystem call throws. */
function thrownBy(action: () => void): unknown {
  try {
    action();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

// #17 messages: an operating-system error on the user's files is never "a bug in poly".
describe('operating-system errors become PolyErrors at one place', () => {
  it('a full disk says to free space (real ENOSPC from /dev/full), and names the file when known', () => {
    const err = thrownBy(() => writeFileSync('/dev/full', 'x'));
    assert.equal(
      formatError(err, {}),
      [
        'error: no space left (ENOSPC)',
        'hint: Free some disk space and run the command again; `poly prune` removes toolchains no project uses.',
      ].join('\n'),
    );
    Object.assign(err as object, { path: '/srv/p/poly.lock' });
    assert.equal(systemErrorToPolyError(err)?.message, 'no space left for /srv/p/poly.lock (ENOSPC)');
    assert.match(systemErrorToPolyError(err)?.hint ?? '', /\(df -h \/srv\/p\)/);
  });

  it('a file where a folder should be is named (real ENOTDIR)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'poly-oserr-'));
    try {
      writeFileSync(join(dir, 'file'), '');
      const err = thrownBy(() => writeFileSync(join(dir, 'file', 'x'), ''));
      assert.match(
        formatError(err, {}),
        /^error: .*file\/x: not a directory, open .*\nhint: A file or link is in the way/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('permission denied names the path and the user (EACCES as fs reports it)', () => {
    // Root may write anywhere, so this one error is built as Node builds it.
    const err = Object.assign(new Error("EACCES: permission denied, open '/srv/x/poly.toml'"), {
      code: 'EACCES',
      path: '/srv/x/poly.toml',
      syscall: 'open',
    });
    const mapped = systemErrorToPolyError(err);
    assert.equal(mapped?.message, 'permission denied: /srv/x/poly.toml (EACCES)');
    assert.match(mapped?.hint ?? '', /^Check the owner and permissions of \/srv\/x\/poly\.toml \(ls -ld/);
    assert.doesNotMatch(formatError(err, {}), /bug in poly/);
  });

  it('keeps "bug in poly" for real bugs', () => {
    assert.match(formatError(new TypeError('x is undefined'), {}), /hint: this is a bug in poly/);
  });
});
