// Rewrites test/fixtures/manifests/broken/*.expected from the current messages
// (after `npm run build`). For when a message is changed on purpose: review
// the diff of the .expected files before committing, line by line.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { formatError } from '../dist/src/core/errors.js';
import { decodeManifest, parseManifest } from '../dist/src/core/manifest/load.js';

const dir = new URL('../test/fixtures/manifests/broken/', import.meta.url);
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.toml'))
  .sort()) {
  try {
    parseManifest(
      decodeManifest(readFileSync(new URL(file, dir)), 'poly.toml'),
      '/project/poly.toml',
      'poly.toml',
    );
    console.error(`${file}: validates, so it does not belong in broken/`);
    process.exitCode = 1;
  } catch (err) {
    writeFileSync(new URL(file.replace(/\.toml$/, '.expected'), dir), `${formatError(err, {})}\n`);
  }
}
