import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BUNDLE = fileURLToPath(new URL('../../../bundle/', import.meta.url));

/** The packages a fast path may only load lazily (scripts/bundle.mjs's EXTERNAL). */
const HEAVY = ['ink', 'react', 'react/jsx-runtime', '@oclif/core', 'dockerode', 'tar'];

describe('the fast-path bundle', () => {
  it('imports no heavy package at its top: an Ink view stays a lazy import of its own file', () => {
    // Given the bundles `npm run build` wrote
    const files = readdirSync(BUNDLE).filter((f) => f.endsWith('.js'));
    assert.ok(files.includes('run.js'), 'dist/bundle/run.js exists (npm run build)');
    for (const file of files) {
      const text = readFileSync(`${BUNDLE}${file}`, 'utf8');
      // Then no static import of Ink, React, oclif, dockerode or tar is hoisted into it
      for (const pkg of HEAVY)
        assert.ok(
          !text.includes(`from"${pkg}"`) && !text.includes(`from '${pkg}'`),
          `${file} imports ${pkg} at its top`,
        );
    }
    // And poly run's terminal view is still reachable, lazily
    assert.match(readFileSync(`${BUNDLE}run.js`, 'utf8'), /import\("\.\.\/src\/ui\/run-task-view\.js"\)/);
  });
});
