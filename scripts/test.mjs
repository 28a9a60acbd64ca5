// Runs the compiled test files with node's test runner.
// Usage: node scripts/test.mjs [unit|integration|e2e|<path filter>...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
const found = find('dist/test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
// The files under e2e/deploy hold the engine's Swarm one at a time (test/helpers/swarm.ts), and a file
// waiting for it keeps a runner slot idle: the first starts first (it is also the longest file of the
// suite), the others last, so they do not wait for each other.
const swarmHolders = found.filter((f) => f.includes('/e2e/deploy/'));
const files = [
  ...swarmHolders.slice(0, 1),
  ...found.filter((f) => !swarmHolders.includes(f)),
  ...swarmHolders.slice(1),
];
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
// One poly store for this run's template tests (test/helpers/templates-e2e.ts, templatesPolyHome):
// each installs the toolchains it lacks into it, so a toolchain is unpacked once per run, not once
// per test file. Removed when the run ends; a run started with it set keeps the caller's.
const sharedHome = env.POLY_TEST_SHARED_HOME ? undefined : mkdtempSync(join(tmpdir(), 'poly-test-run-'));
if (sharedHome) env.POLY_TEST_SHARED_HOME = sharedHome;
const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
// A Swarm a test initialised is left only now, when no test file has a bridge network left that the
// leave would break (test/helpers/swarm.ts says why).
if (existsSync(join(env.POLY_TEST_SHARED_HOME, 'swarm-initialised-by-run'))) {
  spawnSync('docker', ['swarm', 'leave', '--force'], { stdio: 'inherit' });
  rmSync(join(env.POLY_TEST_SHARED_HOME, 'swarm-initialised-by-run'), { force: true });
}
if (sharedHome) rmSync(sharedHome, { recursive: true, force: true });
process.exit(result.status ?? 1);
