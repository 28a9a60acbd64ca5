import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { PolyError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';

export interface InstallContext {
  manifest: Manifest;
  /** The new service's folder: install steps run there. */
  serviceDir: string;
  /** The project's environment the steps run in (scaffold.ts gives it). */
  env: NodeJS.ProcessEnv;
}

/**
 * Runs one install step of a template in the context's environment (the
 * project's, as `poly exec` gives it: pinned toolchains first). "python" means the project's venv interpreter,
 * which poly built with the pinned Python before the steps run; when poly manages
 * no Python (a "system" pin, or none), the venv is created with python3 from PATH,
 * so packages never land in a system Python.
 */
export async function runInstallStep(step: string[], context: InstallContext): Promise<void> {
  const [tool, ...args] = step as [string, ...string[]];
  const resolved = tool === 'python' ? await projectPython(context) : tool;
  const result = await execa(resolved, args, {
    cwd: context.serviceDir,
    env: context.env,
    stdin: 'ignore',
    reject: false,
    all: true,
  });
  if (result.failed) {
    const tail = String(result.all ?? result.shortMessage)
      .trim()
      .split('\n')
      .slice(-8)
      .join('\n');
    throw new PolyError('INSTALL_FAILED', `\`${step.join(' ')}\` failed in ${context.serviceDir}:\n${tail}`, {
      hint: `The service is in place and registered in poly.toml. Fix the problem, then run \`${step.join(' ')}\` in ${context.serviceDir}.`,
    });
  }
}

/** The interpreter of the project's venv (poly.toml [runtimes] python.venv, default ".venv"). */
async function projectPython(context: InstallContext): Promise<string> {
  const venv = context.manifest.runtimes.python?.venv ?? '.venv';
  if (venv === false) return 'python3';
  const dir = join(context.manifest.root, venv);
  const python = join(dir, 'bin', 'python');
  if (!existsSync(python)) {
    const made = await execa('python3', ['-m', 'venv', dir], {
      env: context.env,
      reject: false,
      stdin: 'ignore',
      all: true,
    });
    if (made.failed) {
      throw new PolyError(
        'VENV_FAILED',
        `cannot create the project's venv at ${dir}: ${made.all ?? made.shortMessage}`,
        {
          hint: 'Install a Python 3 with the venv module (python3-venv on Debian), or run with --no-install.',
        },
      );
    }
  }
  return python;
}
