import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unsafeEntryReason } from '../../../src/core/runtimes/archive-entries.js';
import { linkChainReason, resolveThroughLinks } from '../../../src/core/runtimes/archive-links.js';

describe('archive links: entries resolved through the links before them', () => {
  it('resolves a path the way the filesystem will, and refuses one that climbs out', () => {
    const links = new Map([['a/up', '..']]);
    assert.equal(resolveThroughLinks('a/up/a/up/bin', links), 'bin');
    assert.equal(resolveThroughLinks('a/up/a/up/../..', links), undefined);
    assert.equal(resolveThroughLinks('x/../y', links), 'y');
    assert.equal(resolveThroughLinks('loop', new Map([['loop', 'loop']])), undefined);
  });

  it('refuses the chain a/up -> .., esc -> a/up/a/up/../.. that each look inside alone', () => {
    const links = new Map<string, string>();
    const check = (path: string, type: string, linkpath?: string) =>
      unsafeEntryReason(path, type, linkpath, 1, links);
    assert.equal(check('top/a/', 'Directory'), undefined);
    assert.equal(check('top/a/up', 'SymbolicLink', '..'), undefined);
    assert.equal(
      unsafeEntryReason('top/esc', 'SymbolicLink', 'a/up/a/up/../..', 1),
      undefined,
      'alone: inside',
    );
    assert.match(check('top/esc', 'SymbolicLink', 'a/up/a/up/../..') ?? '', /through its other links/);
  });

  it('refuses a file written below a link, and a hardlink reached through links', () => {
    const links = new Map<string, string>([['out', '../..']]);
    assert.match(
      linkChainReason(links, 'top/out/x', 'out/x', 'File', undefined) ?? '',
      /written through a link/,
    );
    assert.match(linkChainReason(links, 'top/h', 'h', 'Link', 'out/etc') ?? '', /hardlink "top\/h"/);
  });

  it('forgets a link that a later file replaces', () => {
    const links = new Map<string, string>([['lib', '..']]);
    assert.equal(linkChainReason(links, 'top/lib', 'lib', 'Directory', undefined), undefined);
    assert.equal(resolveThroughLinks('lib/../..', links), undefined);
    assert.equal(resolveThroughLinks('lib/x', links), 'lib/x');
  });
});
