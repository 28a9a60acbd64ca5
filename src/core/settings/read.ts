import { readFileSync } from 'node:fs';
import { storeLayout } from '../store/layout.js';

/**
 * Lean reader for user settings, safe on hot paths: reads the JSON file conf
 * writes (layout.settingsFile) directly, without importing conf. Values were
 * validated when they were set. Returns undefined when unset or unreadable.
 */
export function readSetting(key: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = lookup(readAllSettings(env), key);
  return typeof value === 'string' ? value : undefined;
}

/** Every stored setting, flattened to dotted keys ("mirror.node"). */
export function readAllSettings(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(storeLayout(env).settingsFile, 'utf8');
  } catch {
    return {};
  }
  try {
    const data: unknown = JSON.parse(text);
    return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function lookup(data: Record<string, unknown>, key: string): unknown {
  let node: unknown = data;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
