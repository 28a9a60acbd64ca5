#!/usr/bin/env node
// Entry point. The hot paths answer here before oclif, Ink or dockerode load;
// everything else goes through oclif (with its generated manifest).
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const first = argv[0];

if (argv.length === 1 && (first === '--version' || first === '-v' || first === 'version')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`poly/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  const fast = await import('../dist/src/cli/fast-path.js').catch(() => undefined);
  if (!fast || !(await fast.runFastPath(argv))) {
    const { execute } = await import('@oclif/core');
    await execute({ dir: import.meta.url });
  }
}
