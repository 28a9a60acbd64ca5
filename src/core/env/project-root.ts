import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { MANIFEST_FILE, type StoreLayout } from '../store/layout.js';

/**
 * The folder the user is in, as the shell spells it: $PWD when it names the
 * same folder as the process's cwd (it keeps symlinked paths, which is what the
 * shell hook walks), else the cwd.
 */
export function logicalCwd(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string {
  const pwd = env.PWD;
  if (pwd?.startsWith('/') && pwd !== cwd) {
    try {
      if (realpathSync(pwd) === realpathSync(cwd)) return pwd;
    } catch {
      // PWD names a folder that is gone: fall back to the cwd.
    }
  } else if (pwd === cwd) return pwd;
  return cwd;
}

export interface EnvironmentRoot {
  source: 'project' | 'global';
  root: string;
  manifestFile: string;
}

/**
 * The nearest poly.toml from `dir` upwards (walking the path as written, like
 * the hook and the shims do), else the global poly.toml when it exists.
 */
export function findEnvironmentRoot(dir: string, layout: StoreLayout): EnvironmentRoot | undefined {
  let d = resolve(dir);
  for (;;) {
    const file = d === '/' ? `/${MANIFEST_FILE}` : `${d}/${MANIFEST_FILE}`;
    if (existsSync(file)) return { source: 'project', root: d, manifestFile: file };
    if (d === '/') break;
    d = d.slice(0, d.lastIndexOf('/')) || '/';
  }
  if (existsSync(layout.globalManifest)) {
    return {
      source: 'global',
      root: resolve(layout.globalManifest, '..'),
      manifestFile: layout.globalManifest,
    };
  }
  return undefined;
}
