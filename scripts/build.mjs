// Compile TypeScript, then write oclif.manifest.json so start-up never scans the commands folder,
// save oclif's root help for the fast path, and bundle what bin/run.cjs loads (scripts/bundle.mjs).
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { copyShellSources, writeBinPoly } from './build-shell.mjs';
import { bundle } from './bundle.mjs';
import { quietOclifEnv } from './oclif-env.mjs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit', env: quietOclifEnv() });
// A clean dist: files of deleted sources (old tests above all) must not linger and run.
rmSync('dist', { recursive: true, force: true });
rmSync('oclif.manifest.json', { force: true });
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
copyShellSources();
await writeBinPoly();
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest']);
writeFileSync('dist/src/cli/root-help.txt', rootHelp());
await bundle();

/**
 * oclif's own `poly --help` for a pipe (80 columns, no colour), rendered now while the file
 * does not exist yet (so oclif answers), with the runtime part of the VERSION line left as
 * the slot src/cli/fast/help.ts fills in.
 */
function rootHelp() {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.OCLIF_COLUMNS;
  const text = execFileSync(process.execPath, ['bin/run.cjs', '--help'], { env, encoding: 'utf8' });
  const versionLine = /^( {2}poly\/\S+ )\S+ node-\S+$/m;
  if (!versionLine.test(text)) throw new Error('the root help has no VERSION line to leave a slot in');
  return text.replace(versionLine, '$1{{platform}}');
}
