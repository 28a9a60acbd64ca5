// `npm run lint`: bin/poly's generated part is current (scripts/build-shell.mjs); shellcheck
// over bin/poly and over what poly writes for shells, assembled from src/core/env/shell/ and rendered
// fresh into a temp dir by the built CLI: the bash and zsh hooks (`poly activate`) and a
// shim (`poly reshim`); fish's own parser checks the fish hook. Needs `npm run build`.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Warnings that flag what these scripts do on purpose, per script:
 * SC1007 `a= b=` assigns empty strings, the POSIX idiom; SC3013 `-nt` is not in POSIX but
 * every sh poly runs under (dash, bash, busybox ash, ksh, zsh) has it; SC1090 the
 * environment cache is sourced from a path known only at run time; SC2317 the shim's
 * callbacks are called by that sourced cache; SC2163 `export -n "$n"` unexports the
 * variable named by $n; SC2296 zsh's `${(...)}` flags (shellcheck reads zsh as bash).
 */
const INTENDED = {
  sh: ['SC1007', 'SC3013', 'SC1090'],
  shim: ['SC1007', 'SC3013', 'SC1090', 'SC2317'],
  bash: ['SC1007', 'SC1090', 'SC2163'],
  zsh: ['SC1007', 'SC1090', 'SC2163', 'SC2296'],
};

if (!existsSync('dist/src/cli/fast-path.js')) {
  console.error('check-shell: run `npm run build` first (the hooks and shims are rendered by the built CLI)');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'poly-shellcheck-'));
let failed = false;
// bin/poly's generated part is what src/core/env/shell/ and the layout say now.
const { binPolyText } = await import('./build-shell.mjs');
if ((await binPolyText()) !== readFileSync('bin/poly', 'utf8')) {
  failed = true;
  console.log('check-shell: bin/poly is not what src/core/env/shell/ generates: run `npm run build`');
}
try {
  const env = {
    ...process.env,
    POLY_HOME: join(dir, 'home'),
    POLY_CONFIG_DIR: join(dir, 'config'),
    NO_COLOR: '1',
  };
  const poly = (...args) =>
    execFileSync(process.execPath, ['bin/run.cjs', ...args], { env, encoding: 'utf8' });
  // One installed toolchain with one binary, so `poly reshim` writes a shim for it.
  const bin = join(dir, 'home', 'installs', 'node', '22.1.0', 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'node'), '#!/bin/sh\n');
  chmodSync(join(bin, 'node'), 0o755);
  poly('reshim');
  const files = { bash: join(dir, 'hook.bash'), zsh: join(dir, 'hook.zsh'), fish: join(dir, 'hook.fish') };
  for (const [shell, file] of Object.entries(files)) writeFileSync(file, poly('activate', shell));

  const checks = [
    ['sh', 'bin/poly'],
    ['sh', 'bin/poly-run.sh'],
    ['shim', join(dir, 'home', 'shims', 'node')],
    ['bash', files.bash],
    ['zsh', files.zsh],
  ];
  for (const [kind, file] of checks) {
    const shell = kind === 'shim' ? 'sh' : kind === 'zsh' ? 'bash' : kind;
    const r = spawnSync('shellcheck', ['--shell', shell, '--exclude', INTENDED[kind].join(','), file], {
      encoding: 'utf8',
    });
    if (r.error)
      throw new Error(`check-shell: shellcheck is not installed (scripts/setup-machine.sh installs it)`);
    if (r.status !== 0) {
      failed = true;
      process.stdout.write(`check-shell: ${kind} (${file})\n${r.stdout}${r.stderr}`);
    }
  }
  const fish = spawnSync('fish', ['--no-execute', files.fish], { encoding: 'utf8' });
  if (fish.error)
    throw new Error('check-shell: fish is not installed (scripts/setup-machine.sh installs it)');
  if (fish.status !== 0) {
    failed = true;
    process.stdout.write(`check-shell: fish (${files.fish})\n${fish.stderr}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exit(1);
console.log('check-shell: bin/poly, bin/poly-run.sh, a shim and the bash, zsh and fish hooks are clean');
