import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { POLY_BIN, REPO_ROOT, runPoly, tempHome } from '../helpers/poly-cli.js';

/** The same command through oclif alone, never a fast path: what the fast paths must match. */
async function throughOclif(args: string[], cwd: string, env: Record<string, string>) {
  const oclif = pathToFileURL(join(REPO_ROOT, 'node_modules', '@oclif', 'core', 'lib', 'index.js')).href;
  const script = `const { execute } = await import(${JSON.stringify(oclif)});
await execute({ dir: ${JSON.stringify(pathToFileURL(POLY_BIN).href)}, args: process.argv.slice(1) });`;
  const r = await execa(process.execPath, ['--input-type=module', '-e', script, '--', ...args], {
    cwd,
    env: { CI: '', POLY_DEBUG: '', ...env },
    reject: false,
    stdin: 'ignore',
  });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe('the cold commands served before oclif (bin/run.js fast paths)', () => {
  const home = tempHome();
  after(home.cleanup);
  const project = join(home.dir, 'project');
  mkdirSync(join(home.dir, 'home', 'installs', 'node', '22.1.0'), { recursive: true });
  mkdirSync(project);
  writeFileSync(join(project, 'poly.toml'), '[runtimes]\nnode = "22"\npython = "3.12"\n');
  const env = { ...home.env, POLY_GO_MIRROR: 'http://127.0.0.1:9/go' };

  for (const args of [
    ['ls'],
    ['ls', '--json'],
    ['ls', '-C', home.dir],
    ['ls', 'extra'],
    ['ps'],
    ['ps', '--json'],
    ['templates'],
    ['templates', '--json'],
    ['config', 'list'],
    ['config', 'list', '--json'],
    ['--help'],
    ['help'],
  ]) {
    it(`poly ${args.join(' ')} prints exactly what oclif prints`, async () => {
      const [fast, oclif] = await Promise.all([
        runPoly(args, { cwd: project, env }),
        throughOclif(args, project, env),
      ]);
      assert.deepEqual(fast, oclif);
      if (args[0] === 'ls' && args.length === 1) assert.match(fast.stdout, /node +22\.1\.0/);
    });
  }
});
