import { effectiveSetting } from '../../core/settings/effective.js';
import { SETTINGS, type SettingDefinition, settingDefinition } from '../../core/settings/keys.js';
import { deleteSetting, writeSetting } from '../../core/settings/store.js';
import { storeLayout } from '../../core/store/layout.js';

export interface SettingEntry {
  key: string;
  /** The value in effect (environment first, then the settings file), null when unset. */
  value: string | null;
  /** Where the value comes from. */
  from: 'env' | 'config' | null;
  /** The environment variable that overrides this setting, if any. */
  envVar?: string;
  description: string;
}

export interface ConfigListResult {
  file: string;
  settings: SettingEntry[];
}

function entry(def: SettingDefinition, env: NodeJS.ProcessEnv): SettingEntry {
  const current = effectiveSetting(def.key, env);
  return {
    key: def.key,
    value: current?.value ?? null,
    from: current?.from ?? null,
    ...(def.envVar ? { envVar: def.envVar } : {}),
    description: def.description,
  };
}

export function getConfig(key: string, env: NodeJS.ProcessEnv): SettingEntry {
  return entry(settingDefinition(key), env);
}

export async function setConfig(key: string, raw: string, env: NodeJS.ProcessEnv) {
  const value = await writeSetting(key, raw, env);
  return { key, value, file: storeLayout(env).settingsFile };
}

export async function unsetConfig(key: string, env: NodeJS.ProcessEnv) {
  const removed = await deleteSetting(key, env);
  return { key, removed };
}

/** Every known setting with its value in effect (null when unset), in a stable order. */
export function listConfig(env: NodeJS.ProcessEnv): ConfigListResult {
  return { file: storeLayout(env).settingsFile, settings: SETTINGS.map((def) => entry(def, env)) };
}
