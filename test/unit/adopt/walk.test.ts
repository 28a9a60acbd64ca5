import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { planAdoption } from '../../../src/core/adopt/plan.js';
import { walkRepo } from '../../../src/core/adopt/walk.js';
import { tempHome } from '../../helpers/poly-cli.js';
import { writeTree } from './repo-tree.js';

describe('the repo walk', () => {
  const home = tempHome();
  after(home.cleanup);

  it('goes 4 folders deep, skips dependency and build folders and what .gitignore ignores', () => {
    const dir = writeTree(join(home.dir, 'walk'), {
      '.gitignore': 'generated/\n*.log\n/tmp-*\n',
      'a/b/c/d/.nvmrc': '22\n',
      'a/b/c/d/e/.nvmrc': '20\n',
      'node_modules/x/package.json': '{}',
      'web/node_modules/y/.nvmrc': '18\n',
      'generated/.nvmrc': '18\n',
      'web/generated/x/.nvmrc': '18\n',
      'tmp-1/.nvmrc': '18\n',
      'web/tmp-2/.nvmrc': '16\n',
      'web/.gitignore': 'local/\n',
      'web/local/.nvmrc': '14\n',
      'api/local/.nvmrc': '22\n',
      'web/debug.log': 'x',
      '.git/x/.nvmrc': '12\n',
      'svc/target/.nvmrc': '12\n',
      'svc/.venv/.nvmrc': '12\n',
      'svc/vendor/.nvmrc': '12\n',
      'svc/dist/.nvmrc': '12\n',
      'svc/build/.nvmrc': '12\n',
    });
    const rels = walkRepo(dir).map((f) => f.rel);
    assert.ok(rels.includes('a/b/c/d'));
    assert.ok(!rels.includes('a/b/c/d/e'), 'deeper than 4');
    for (const gone of [
      'node_modules/x',
      'web/node_modules/y',
      'generated',
      'web/generated/x',
      'tmp-1',
      'web/local',
      '.git/x',
      'svc/target',
      'svc/.venv',
      'svc/vendor',
      'svc/dist',
      'svc/build',
    ])
      assert.ok(!rels.some((r) => r === gone || r.startsWith(`${gone}/`)), `${gone} should be skipped`);
    // A root-anchored pattern matches only at the top; a nested .gitignore only below its folder.
    assert.ok(rels.includes('web/tmp-2'));
    assert.ok(rels.includes('api/local'));
    const web = walkRepo(dir).find((f) => f.rel === 'web');
    assert.ok(web && !web.files.has('debug.log'));
  });

  it('pins the most common version and names each folder that differs', async () => {
    const dir = writeTree(join(home.dir, 'pins'), {
      'web/.nvmrc': '22\n',
      'admin/.nvmrc': '22\n',
      'legacy/.node-version': '18.20.4\n',
      'services/api/rust-toolchain.toml': '[toolchain]\nchannel = "1.82"\n',
    });
    const a = await planAdoption(dir, 'pins');
    assert.deepEqual(
      a.pins.map((p) => [p.runtime, p.spec, p.source]),
      [
        ['node', '22', 'admin/.nvmrc'],
        ['rust', '1.82', 'services/api/rust-toolchain.toml'],
      ],
    );
    const differ = a.notes.filter((n) => /a project has one node pin/.test(n.message));
    assert.deepEqual(
      differ.map((n) => n.file),
      ['legacy/.node-version'],
    );
    assert.match(
      differ[0]?.message ?? '',
      /pins node 18\.20\.4, .*poly\.toml pins 22 \(from admin\/\.nvmrc and 1 more\); legacy will run node 22/,
    );
  });
});
