import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolyError } from '../errors.js';
import type { ActiveToolchain, VenvInfo } from './types.js';
import {
  isInterruptedVenvSkeleton,
  relocateVenvScripts,
  removeStaleVenvBuilds,
  venvBuildDir,
} from './venv-build.js';

export type VenvState = 'ready' | 'absent' | 'outdated' | 'broken' | 'foreign';

/** Parses pyvenv.cfg ("key = value" lines). */
export function readPyvenvCfg(venvDir: string): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(join(venvDir, 'pyvenv.cfg'), 'utf8');
  } catch {
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/**
 * The files a usable venv has. The sh readers (bin/poly, the shims, the shell
 * hooks: `__poly_venv`) test exactly these, so that every path agrees on when a
 * venv must be (re)built.
 */
export function venvComplete(venvDir: string): boolean {
  return ['pyvenv.cfg', 'bin/python', 'bin/pip'].every((f) => existsSync(join(venvDir, f)));
}

/**
 * Whether the venv is built on the pinned Python. The version a venv runs on
 * is in its pyvenv.cfg ("version", or "version_info" on some builds), so a
 * changed pin shows as `outdated`; one without its python or pip (an older poly
 * killed while creating it) is `broken`, as is the bare folder skeleton that
 * `python -m venv` makes before it writes pyvenv.cfg. Any other folder without
 * pyvenv.cfg is not a venv and poly never deletes it (`foreign`).
 */
export function venvState(venv: VenvInfo): VenvState {
  const cfg = readPyvenvCfg(venv.dir);
  if (!cfg) {
    if (!existsSync(venv.dir)) return 'absent';
    return isInterruptedVenvSkeleton(venv.dir) ? 'broken' : 'foreign';
  }
  const version = cfg.version ?? cfg.version_info?.split('.').slice(0, 3).join('.');
  if (!version || version !== venv.pythonVersion) return 'outdated';
  return venvComplete(venv.dir) ? 'ready' : 'broken';
}

export type VenvOutcome = 'ready' | 'created' | 'rebuilt';

/**
 * Creates the venv with the pinned Python (`python -m venv`), rebuilding one
 * made on another version or left broken. Atomic: the venv is built in a
 * folder beside it and renamed into place only when complete, so a killed
 * poly leaves either no venv or a whole one (and its build folder, removed by
 * the next call once its process is gone).
 */
export function ensureVenv(venv: VenvInfo, python: ActiveToolchain): VenvOutcome {
  const state = venvState(venv);
  if (state === 'ready') return 'ready';
  if (state === 'foreign') {
    throw new PolyError('VENV_FOREIGN', `${venv.dir} exists but is not a virtualenv (no pyvenv.cfg)`, {
      hint: 'Move that folder away, or point poly elsewhere: python = { version = "…", venv = "path" } (or venv = false).',
    });
  }
  removeStaleVenvBuilds(venv.dir);
  const interpreter = pythonExecutable(python);
  const build = venvBuildDir(venv.dir, 'build');
  const result = spawnSync(interpreter, ['-m', 'venv', build], { encoding: 'utf8' });
  if (result.status !== 0 || !venvComplete(build)) {
    rmSync(build, { recursive: true, force: true });
    const why = (result.stderr || result.error?.message || 'pip was not installed in it').trim();
    throw new PolyError(
      'VENV_CREATE_FAILED',
      `could not create ${venv.dir} with python ${python.version}: ${why}`,
      {
        hint: `Run \`${interpreter} -m venv ${venv.dir}\` to see the full error.`,
      },
    );
  }
  relocateVenvScripts(build, venv.dir);
  // Like `python -m venv` >= 3.13: a venv is machine state, never committed.
  writeFileSync(join(build, '.gitignore'), '# Created by poly automatically.\n*\n');
  moveIntoPlace(build, venv.dir);
  return state === 'absent' ? 'created' : 'rebuilt';
}

/** Replaces whatever is at `dir` by `build`; between the two renames there is no venv, never half of one. */
function moveIntoPlace(build: string, dir: string): void {
  const old = venvBuildDir(dir, 'old');
  let moved = false;
  try {
    renameSync(dir, old);
    moved = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    renameSync(build, dir);
  } catch (err) {
    rmSync(build, { recursive: true, force: true });
    // Another poly put a venv there first: use that one.
    const code = (err as NodeJS.ErrnoException).code;
    if (!(code === 'ENOTEMPTY' || code === 'EEXIST') || !venvComplete(dir)) throw err;
  }
  if (moved) rmSync(old, { recursive: true, force: true });
}

export function pythonExecutable(python: ActiveToolchain): string {
  for (const dir of python.binDirs) {
    for (const name of ['python3', 'python']) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new PolyError('PYTHON_NOT_FOUND', `no python3 in ${python.binDirs.join(', ')}`, {
    hint: `Reinstall it: poly install python@${python.version}`,
  });
}
