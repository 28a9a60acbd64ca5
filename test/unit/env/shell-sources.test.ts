import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { describe, it } from 'node:test';
import { shellSource } from '../../../src/core/env/shell-sources.js';
import { RUNTIME_NAMES } from '../../../src/core/manifest/types.js';
import { projectLayout, SERVICE_ENV_MARKER } from '../../../src/core/store/layout.js';

// The shell files name a few of the layout's paths themselves (a walk-up cannot call Node):
// they must be the layout's.
describe('shell sources agree with the layout', () => {
  const layout = projectLayout('/p');
  const at = (path: string) => relative('/p', path);

  for (const [file, cache] of [
    ['locate.sh', layout.envCache.sh],
    ['locate.fish', layout.envCache.fish],
  ] as const) {
    it(`${file}: the project's cache and the service folders' marks`, () => {
      const text = shellSource(file);
      assert.ok(text.includes(`/${at(cache)}`), `${file} reads ${at(cache)}`);
      assert.ok(text.includes(`/${at(layout.serviceEnv)}`), `${file} looks in ${at(layout.serviceEnv)}`);
      assert.match(text, new RegExp(`/${SERVICE_ENV_MARKER}\\b`));
      assert.ok(!text.includes('# shellcheck '), 'directives are dropped from what poly writes');
      // The freshness test names each runtime's installs folder, as watchedInputs does for Node.
      const tested = [...text.matchAll(/\$__poly_i\/([a-z]+)"? -nt/g)].map((m) => m[1]);
      assert.deepEqual(tested, [...RUNTIME_NAMES]);
    });
  }
});
