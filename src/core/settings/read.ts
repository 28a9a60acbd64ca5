import { readFileSync } from 'node:fs';
import { PolyError } from '../errors.js';
import { storeLayout } from '../store/layout.js';

/**
 * Lean reader for user settings, safe on hot paths: reads the JSON file conf
 * writes (layout.settingsFile) directly, without importing conf. Values were
 * validated when they were set. Returns undefined when unset.
 */
export function readSetting(key: string, env: NodeJS.ProcessEnv): string | undefined {
  const value = lookup(readAllSettings(env), key);
  return typeof value === 'string' ? value : undefined;
}

/** Every stored setting, as conf nests them ({ mirror: { node: "…" } }). */
export function readAllSettings(env: NodeJS.ProcessEnv): Record<string, unknown> {
  return readSettingsFile(storeLayout(env).settingsFile);
}

/**
 * The settings file's content; none when it does not exist. A file that exists but cannot
 * be read or is not JSON is an error naming it: ignoring it would silently drop the user's
 * mirrors (and download from the official hosts instead).
 */
export function readSettingsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new PolyError('SETTINGS_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`, {
      hint: 'Make it readable, or point POLY_CONFIG_DIR elsewhere.',
      cause: err,
    });
  }
  let data: unknown;
  try {
    data = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    throw new PolyError('SETTINGS_UNREADABLE', `${file} is not valid JSON: ${(err as Error).message}`, {
      hint: 'Fix or delete that file (poly config set writes it), or point POLY_CONFIG_DIR elsewhere.',
      cause: err,
    });
  }
  return typeof data === 'object' && data !== null && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : {};
}

/** The value at a dotted key ("mirror.node") of settings read by readSettingsFile. */
export function settingAt(data: Record<string, unknown>, key: string): unknown {
  return lookup(data, key);
}

function lookup(data: Record<string, unknown>, key: string): unknown {
  let node: unknown = data;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
