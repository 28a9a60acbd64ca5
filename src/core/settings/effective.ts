import { EXIT_USAGE, PolyError } from '../errors.js';
import { settingDefinition } from './keys.js';
import { readSetting } from './read.js';

export interface EffectiveSetting {
  value: string;
  /** Where it came from: the environment variable wins over `poly config set`. */
  from: 'env' | 'config';
  envVar?: string;
}

/**
 * The value a setting has right now: its environment variable (POLY_NODE_MIRROR
 * ...) if set, else the stored value, else undefined (use the default). An
 * environment value is validated like `poly config set` would.
 */
export function effectiveSetting(key: string, env: NodeJS.ProcessEnv): EffectiveSetting | undefined {
  const def = settingDefinition(key);
  const fromEnv = def.envVar ? env[def.envVar] : undefined;
  if (def.envVar && fromEnv) {
    const parsed = def.parse(fromEnv.trim());
    if ('error' in parsed)
      throw new PolyError('INVALID_SETTING', `${def.envVar}: ${parsed.error}`, {
        hint: `Fix or unset ${def.envVar} (it overrides ${key}).`,
        exitCode: EXIT_USAGE,
      });
    return { value: parsed.value, from: 'env', envVar: def.envVar };
  }
  const stored = readSetting(key, env);
  return stored === undefined ? undefined : { value: stored, from: 'config' };
}
