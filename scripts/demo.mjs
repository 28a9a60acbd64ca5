// `npm run demo`: poly's main job on the example project. poly installs the
// toolchains examples/shop pins (verified, locked), then `poly up` brings its
// Python, Go and Node services up in dependency order with the dashboard.
//
// By default the toolchains come from the official hosts. Where those cannot be
// reached (like our CI machines), POLY_DEMO_MIRROR=1 serves this machine's own
// toolchains in the official layouts from a local mirror (test/helpers/mirror).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const example = fileURLToPath(new URL('../examples/shop', import.meta.url));
const poly = fileURLToPath(new URL('../bin/run.cjs', import.meta.url));
const args = process.argv.slice(2);

let mirror;
const env = { ...process.env };
if (process.env.POLY_DEMO_MIRROR === '1') {
  const { startMirror } = await import(new URL('../dist/test/helpers/mirror/index.js', import.meta.url).href);
  process.stderr.write(
    "demo: serving this machine's toolchains from a local mirror (first run builds the archives)\n",
  );
  mirror = await startMirror({ runtimes: ['node', 'python', 'go'] });
  Object.assign(env, mirror.env);
}

const run = (argv) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [poly, ...argv], { cwd: example, env, stdio: 'inherit' });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });

let code = await run(['install']);
if (code === 0) code = await run(['up', ...args]);
await mirror?.close();
process.chdir(root);
process.exit(code);
