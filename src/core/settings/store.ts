import { statSync } from 'node:fs';
import { PolyError } from '../errors.js';
import { assertReplaceable } from '../store/atomic-write.js';
import { storeLayout } from '../store/layout.js';
import { parseSetting, settingDefinition } from './keys.js';

/**
 * Writes go through conf (atomic writes, one JSON file in layout.configDir).
 * conf is imported lazily: reading settings (read.ts) never loads it.
 */
async function openStore(env: NodeJS.ProcessEnv) {
  const { default: Conf } = await import('conf');
  const layout = storeLayout(env);
  // conf writes with one fixed mode: keep the file's own (owner and group conf keeps), and
  // refuse, as for poly.toml, a settings file the user made read-only.
  assertReplaceable(layout.settingsFile);
  const mode = modeOf(layout.settingsFile);
  try {
    return new Conf<Record<string, unknown>>({
      projectName: 'poly',
      cwd: layout.configDir,
      configName: 'config',
      ...(mode === undefined ? {} : { configFileMode: mode }),
    });
  } catch (err) {
    throw new PolyError(
      'SETTINGS_UNREADABLE',
      `cannot open ${layout.settingsFile}: ${(err as Error).message}`,
      {
        hint: 'Fix or delete that file (it is JSON), or point POLY_CONFIG_DIR elsewhere.',
        cause: err,
      },
    );
  }
}

/** Validates, then stores. Returns the normalised value that was stored. */
export async function writeSetting(key: string, raw: string, env: NodeJS.ProcessEnv) {
  const value = parseSetting(key, raw);
  const store = await openStore(env);
  store.set(key, value);
  return value;
}

/** Removes a setting; returns whether it was set. */
export async function deleteSetting(key: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  settingDefinition(key);
  const store = await openStore(env);
  const had = store.has(key);
  store.delete(key);
  // Leave no empty `mirror: {}` behind.
  const [group] = key.split('.');
  if (group && group !== key) {
    const rest = store.get(group);
    if (typeof rest === 'object' && rest !== null && Object.keys(rest).length === 0) store.delete(group);
  }
  return had;
}

function modeOf(file: string): number | undefined {
  try {
    return statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}
