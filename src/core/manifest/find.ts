import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MANIFEST_FILE } from '../store/layout.js';

/** Walk up from `cwd` to the nearest folder holding poly.toml. */
export function findManifest(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, MANIFEST_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
