// Runs the compiled test files with node's test runner.
// Usage: node scripts/test.mjs [unit|integration|e2e|<path filter>...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = find('dist/test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const args = [
  '--test',
  '--test-reporter=spec',
  `--test-concurrency=${process.env.POLY_TEST_CONCURRENCY ?? 2}`,
  ...files,
];
// `poly up` starts the machine's HTTPS proxy (443 as root); tests that do not test it leave it off,
// and the proxy tests turn it on with their own POLY_HOME and ports.
const env = { ...process.env, POLY_PROXY: process.env.POLY_PROXY ?? 'off' };
const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
process.exit(result.status ?? 1);
