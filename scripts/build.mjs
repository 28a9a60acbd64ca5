// Compile TypeScript, then write oclif.manifest.json so start-up never scans the commands folder.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { quietOclifEnv } from './oclif-env.mjs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit', env: quietOclifEnv() });
// A clean dist: files of deleted sources (old tests above all) must not linger and run.
rmSync('dist', { recursive: true, force: true });
rmSync('oclif.manifest.json', { force: true });
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest']);
