#!/usr/bin/env node
// Entry point. The hot paths answer here before oclif, Ink or dockerode load;
// everything else goes through oclif (with its generated manifest).
import { readFileSync } from 'node:fs';
import module from 'node:module';

// Node >= 22.1 keeps compiled code between runs; Node 20 has no compile cache.
module.enableCompileCache?.();

const argv = process.argv.slice(2);
const first = argv[0];

if (argv.length === 1 && (first === '--version' || first === '-v' || first === 'version')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`poly/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // The bundle (scripts/bundle.mjs) loads in a few files; tsc's output is the same code.
  const fast = await import('../dist/bundle/fast-path.js')
    .catch(() => import('../dist/src/cli/fast-path.js'))
    .catch(() => undefined);
  if (!fast || !(await fast.runFastPath(argv))) {
    const { execute } = await import('@oclif/core');
    await execute({ dir: import.meta.url });
  }
}
