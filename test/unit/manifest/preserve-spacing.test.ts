import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editManifestSource } from '../../../src/core/manifest/edit.js';
import { restoreCommentSpacing } from '../../../src/core/manifest/preserve-spacing.js';

describe('restoreCommentSpacing', () => {
  it('puts back the spacing of lines that only moved their comment', () => {
    const before = 'a = 1   # one\nbb = 2 # two\n';
    const patched = 'a = 1    # one\nbb = 2   # two\n';
    assert.equal(restoreCommentSpacing(before, patched), before);
  });
  it('keeps the comment column of an edited line when the value still fits', () => {
    const before = 'node   = "22"      # LTS\n';
    assert.equal(restoreCommentSpacing(before, 'node   = "20.1"     # LTS\n'), 'node   = "20.1"    # LTS\n');
    assert.equal(
      restoreCommentSpacing(before, 'node   = "20.11.0-long" # LTS\n'),
      'node   = "20.11.0-long" # LTS\n',
    );
  });
  it('does not mistake a # inside a string for a comment', () => {
    const before = 'run = "echo #1"   # say it\n';
    assert.equal(restoreCommentSpacing(before, 'run = "echo #1" # say it\n'), before);
  });
  it('leaves new lines and lines without comments alone', () => {
    assert.equal(
      restoreCommentSpacing('a = 1\n', 'a = 1\ngo = "1.23"   # new\n'),
      'a = 1\ngo = "1.23"   # new\n',
    );
  });
});

describe('editManifestSource keeps everything it did not change', () => {
  it('changes one value in a heavily commented, aligned file', () => {
    const source = [
      '# top',
      '[runtimes]   # pins',
      'node   = "22"        # LTS',
      'python = "3.12"      # uv',
      "rust   = 'stable'    # literal string",
      '',
      '[services.api] # the api',
      'run = "cargo run"  # dev',
      'env = { A = "1" }  # inline',
      '',
    ].join('\n');
    const out = editManifestSource(source, 'poly.toml', (doc) => {
      (doc.runtimes as Record<string, unknown>).python = '3.13';
    });
    assert.equal(out, source.replace('python = "3.12"', 'python = "3.13"'));
  });
});
