import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PolyError } from '../errors.js';
import type { ActiveToolchain, VenvInfo } from './types.js';

export type VenvState = 'ready' | 'absent' | 'outdated' | 'foreign';

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
 * Whether the venv is built on the pinned Python. The version a venv runs on
 * is in its pyvenv.cfg ("version", or "version_info" on some builds), so a
 * changed pin shows as `outdated`. A folder without pyvenv.cfg is not a venv
 * and poly never deletes it (`foreign`).
 */
export function venvState(venv: VenvInfo): VenvState {
  const cfg = readPyvenvCfg(venv.dir);
  if (!cfg) return existsSync(venv.dir) ? 'foreign' : 'absent';
  const version = cfg.version ?? cfg.version_info?.split('.').slice(0, 3).join('.');
  if (!version || version !== venv.pythonVersion) return 'outdated';
  return existsSync(join(venv.binDir, 'python')) ? 'ready' : 'outdated';
}

export type VenvOutcome = 'ready' | 'created' | 'rebuilt';

/** Creates the venv with the pinned Python (`python -m venv`), rebuilding one made on another version. */
export function ensureVenv(venv: VenvInfo, python: ActiveToolchain): VenvOutcome {
  const state = venvState(venv);
  if (state === 'ready') return 'ready';
  if (state === 'foreign') {
    throw new PolyError('VENV_FOREIGN', `${venv.dir} exists but is not a virtualenv (no pyvenv.cfg)`, {
      hint: 'Move that folder away, or point poly elsewhere: python = { version = "…", venv = "path" } (or venv = false).',
    });
  }
  if (state === 'outdated') rmSync(venv.dir, { recursive: true, force: true });
  const interpreter = pythonExecutable(python);
  const result = spawnSync(interpreter, ['-m', 'venv', venv.dir], { encoding: 'utf8' });
  if (result.status !== 0) {
    rmSync(venv.dir, { recursive: true, force: true });
    throw new PolyError(
      'VENV_CREATE_FAILED',
      `could not create ${venv.dir} with python ${python.version}: ${(result.stderr || result.error?.message || '').trim()}`,
      { hint: `Run \`${interpreter} -m venv ${venv.dir}\` to see the full error.` },
    );
  }
  return state === 'outdated' ? 'rebuilt' : 'created';
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
