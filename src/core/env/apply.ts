import { accessSync, constants, statSync } from 'node:fs';
import type { EnvironmentDelta } from './types.js';

/** The caller's environment with the delta on top: what `poly exec` hands its child. */
export function applyDelta(base: NodeJS.ProcessEnv, delta: EnvironmentDelta): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of delta.unset) delete env[name];
  Object.assign(env, delta.set);
  if (delta.pathPrepend.length) {
    const prefix = delta.pathPrepend.join(':');
    env.PATH = base.PATH ? `${prefix}:${base.PATH}` : prefix;
  }
  return env;
}

/**
 * The first executable `name` in the PATH-style list, skipping `skipDirs`
 * (the shims folder, so a shim never finds itself). A name with a slash is
 * taken as it is.
 */
export function findExecutable(
  name: string,
  pathValue: string | undefined,
  skipDirs: string[] = [],
): string | undefined {
  if (name.includes('/')) return name;
  for (const dir of (pathValue ?? '').split(':')) {
    if (!dir || skipDirs.includes(dir)) continue;
    const candidate = `${dir}/${name}`;
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
