import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { POLY_BIN, type PolyRun, REPO_ROOT } from './poly-cli.js';

/** The same command through oclif alone, never a fast path: what the fast paths must match. */
export async function throughOclif(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<PolyRun> {
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
