#!/usr/bin/env node
// Entry point. The hot paths answer here before oclif, Ink or dockerode load;
// everything else goes through oclif (with its generated manifest). CommonJS, as the
// bundles it loads: Node 20 starts a CommonJS entry several milliseconds sooner than an
// ES module, and no ESM loader starts unless a path imports one (oclif, Ink).
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

// Node >= 22.1 keeps compiled code between runs; Node 20 has no compile cache.
require('node:module').enableCompileCache?.();

const argv = process.argv.slice(2);
const first = argv[0];

if (argv.length === 1 && (first === '--version' || first === '-v' || first === 'version')) {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  process.stdout.write(`poly/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  main();
}

async function main() {
  // The bundle (scripts/bundle.mjs) loads in a file or two; tsc's output is the same code.
  const fast = bundled() ?? (await import('../dist/src/cli/fast-path.js').catch(() => undefined));
  if (!fast || !(await fast.runFastPath(argv))) {
    const { execute } = await import('@oclif/core');
    await execute({ dir: pathToFileURL(__filename).href });
  }
}

/** The dispatcher's bundle, when `npm run build` wrote one. */
function bundled() {
  const file = join(__dirname, '..', 'dist', 'bundle', 'fast-path.cjs');
  try {
    return require(file);
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(file)) return undefined;
    throw err;
  }
}
