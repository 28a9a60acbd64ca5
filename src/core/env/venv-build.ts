import { lstatSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isProcessRunning } from '../supervisor/process-alive.js';

// The folders beside a venv that ensureVenv builds in (and parks the old venv
// in while it swaps): `<venv>.poly-build-<pid>` / `<venv>.poly-old-<pid>`.
const WORK_DIR = /^(.+)\.poly-(build|old)-(\d+)$/;

export function venvBuildDir(venvDir: string, kind: 'build' | 'old'): string {
  return `${venvDir}.poly-${kind}-${process.pid}`;
}

/** Removes build and swap folders of this venv left by a poly that was killed (its process is gone). */
export function removeStaleVenvBuilds(venvDir: string): void {
  const parent = dirname(venvDir);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    const m = WORK_DIR.exec(entry);
    if (!m || m[1] !== basename(venvDir)) continue;
    const pid = Number(m[3]);
    if (pid === process.pid || !isProcessRunning(pid))
      rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/**
 * `python -m venv` writes the folder it was given into the scripts it makes
 * (the shebang of pip, VIRTUAL_ENV in bin/activate*) and into pyvenv.cfg's
 * `command`. A venv built beside its place and then renamed must name its
 * final folder, so those texts are rewritten before the rename.
 */
export function relocateVenvScripts(buildDir: string, finalDir: string): void {
  const files = [join(buildDir, 'pyvenv.cfg')];
  for (const name of readdirSync(join(buildDir, 'bin'))) files.push(join(buildDir, 'bin', name));
  for (const file of files) {
    const stat = lstatSync(file);
    if (!stat.isFile() || stat.size > 1_000_000) continue;
    const text = readFileSync(file);
    if (!text.includes(buildDir)) continue;
    writeFileSync(file, text.toString('latin1').replaceAll(buildDir, finalDir), { encoding: 'latin1' });
  }
}

/**
 * What `python -m venv` leaves when it is stopped before writing pyvenv.cfg:
 * folders (bin, include, lib/pythonX.Y/site-packages), maybe the lib64 link
 * and a .gitignore, and no other file. Such a folder holds nothing of the
 * user's, so poly may rebuild it.
 */
export function isInterruptedVenvSkeleton(dir: string, depth = 0): boolean {
  if (depth > 4) return false;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return false;
  }
  return entries.every((name) => {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return true;
    if (stat.isDirectory()) return isInterruptedVenvSkeleton(path, depth + 1);
    return name === '.gitignore';
  });
}
