import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import {
  cacheFilesFor,
  isCacheFresh,
  readCachedEnvironment,
  watchedInputs,
  writeEnvCache,
} from '../../../src/core/env/cache.js';
import type { EnvironmentRoot } from '../../../src/core/env/project-root.js';
import { EMPTY_DELTA } from '../../../src/core/env/types.js';
import { type StoreLayout, storeLayout } from '../../../src/core/store/layout.js';

describe('environment cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-cache-'));
  let layout: StoreLayout;
  let root: EnvironmentRoot;
  let n = 0;
  beforeEach(() => {
    const base = join(dir, String(++n));
    layout = storeLayout({ POLY_HOME: join(base, 'home'), POLY_CONFIG_DIR: join(base, 'config') });
    mkdirSync(join(layout.installs, 'node', '22.1.0'), { recursive: true });
    const project = join(base, 'proj');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'poly.toml'), '[runtimes]\nnode = "22"\n');
    root = { source: 'project', root: project, manifestFile: join(project, 'poly.toml') };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = () => {
    const files = cacheFilesFor(root, layout);
    assert.ok(
      writeEnvCache(
        files,
        { ...EMPTY_DELTA, source: 'project', root: root.root },
        watchedInputs(root, layout),
        layout.home,
      ),
    );
    return files;
  };
  const later = (file: string, seconds = 2) => {
    const t = statSync(file).mtimeMs / 1000 + seconds;
    utimesSync(file, t, t);
  };

  it('is fresh right after writing, and keeps .poly/ out of git', () => {
    const files = write();
    assert.ok(isCacheFresh(files, watchedInputs(root, layout)));
    assert.equal(readCachedEnvironment(files, layout.home)?.root, root.root);
    assert.ok(statSync(join(files.dir, '.gitignore')).isFile());
  });

  it('goes stale when poly.toml changes, even within the same second', () => {
    const files = write();
    const toml = join(root.root, 'poly.toml');
    const { mtimeMs } = statSync(toml);
    const bumped = (mtimeMs + 0.05) / 1000; // 50 µs later: only a sub-second clock tells them apart
    utimesSync(toml, bumped, bumped);
    assert.equal(isCacheFresh(files, watchedInputs(root, layout)), false);
  });

  it('goes stale when a version is installed or a lockfile appears', () => {
    let files = write();
    mkdirSync(join(layout.installs, 'node', '22.9.0'));
    later(join(layout.installs, 'node'));
    assert.equal(isCacheFresh(files, watchedInputs(root, layout)), false);
    files = write();
    writeFileSync(join(root.root, 'poly.lock'), '');
    later(join(root.root, 'poly.lock'));
    assert.equal(isCacheFresh(files, watchedInputs(root, layout)), false);
  });

  it('is not read by another POLY_HOME', () => {
    const files = write();
    assert.equal(readCachedEnvironment(files, '/some/other/home'), undefined);
  });

  it('on whole-second timestamps stamps itself a second back, so a same-second edit is still seen', () => {
    for (const input of watchedInputs(root, layout)) {
      try {
        utimesSync(input, 1_800_000_000, 1_800_000_000);
      } catch {
        // inputs that do not exist (poly.lock, runtimes not installed)
      }
    }
    const files = write();
    assert.equal(isCacheFresh(files, watchedInputs(root, layout)), false);
  });
});
