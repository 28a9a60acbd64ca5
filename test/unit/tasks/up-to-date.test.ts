import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { TaskSpec } from '../../../src/core/manifest/types.js';
import {
  isUpToDate,
  matchingFiles,
  recordSuccess,
  sourcesFingerprint,
} from '../../../src/core/tasks/up-to-date.js';

describe('sources and outputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-uptodate-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text = 'x') => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  for (const f of [
    'src/a.rs',
    'src/deep/b.rs',
    'src/c.txt',
    'target/debug/x.rs',
    'node_modules/m/i.rs',
    'Cargo.toml',
  ])
    write(f);
  const task: TaskSpec = {
    id: 'api:build',
    name: 'build',
    service: 'api',
    run: ['cargo build'],
    dependsOn: [],
    needsServices: [],
    sources: ['**/*.rs', 'Cargo.toml'],
    outputs: ['out/*.bin'],
    env: {},
    dir,
    quiet: false,
  };

  it('globs match across folders, but not into build and dependency folders unless named', () => {
    assert.deepEqual(matchingFiles(dir, task.sources), ['Cargo.toml', 'src/a.rs', 'src/deep/b.rs']);
    assert.deepEqual(matchingFiles(dir, ['target/**']), ['target/debug/x.rs']);
    assert.deepEqual(matchingFiles(dir, ['src']), ['src/a.rs', 'src/c.txt', 'src/deep/b.rs']);
  });

  it('is up to date only after a success, with the same sources and every output present', () => {
    const state = join(dir, '.poly', 'tasks', 'api--build.json');
    const print = sourcesFingerprint(task, []);
    assert.equal(isUpToDate(task, print, state), false, 'never ran');
    recordSuccess(state, print);
    assert.equal(isUpToDate(task, print, state), false, 'out/*.bin is missing');
    write('out/app.bin');
    assert.equal(isUpToDate(task, sourcesFingerprint(task, []), state), true);
    assert.equal(isUpToDate(task, sourcesFingerprint(task, ['--release']), state), false, 'other arguments');
    const later = new Date(Date.now() + 10_000);
    utimesSync(join(dir, 'src/deep/b.rs'), later, later);
    assert.equal(isUpToDate(task, sourcesFingerprint(task, []), state), false, 'a source changed');
    write('src/c.txt', 'changed');
    const noSources = { ...task, sources: [] };
    assert.equal(
      isUpToDate(noSources, sourcesFingerprint(noSources, []), state),
      false,
      'no sources: always runs',
    );
  });
});
