import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../../helpers/poly-cli.js';

interface LockedPackage {
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Where npm finds `dep` for the package at `path`: its own node_modules, then each parent's. */
function resolveIn(packages: Record<string, LockedPackage>, path: string, dep: string): string | undefined {
  let base = path;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${dep}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

describe('package-lock.json', () => {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockedPackage>;
  };
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as LockedPackage;

  // `npm ci` refuses a lock that lacks any platform's optional package ("Missing: ... from lock
  // file"), even one this machine would skip; an `npm install` on a machine that failed to fetch
  // those manifests writes such a lock without a word.
  it('names every optional dependency of every locked package, for every platform', () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
        if (!resolveIn(lock.packages, path, dep)) missing.push(`${path || '(root)'} -> ${dep}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it("records package.json's dependencies as they are written there", () => {
    const root = lock.packages[''];
    assert.deepEqual(root?.dependencies, pkg.dependencies);
    assert.deepEqual(root?.devDependencies, pkg.devDependencies);
  });
});
