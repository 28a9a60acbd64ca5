import { EXIT_USAGE, PolyError } from '../errors.js';
import { didYouMean } from '../text/did-you-mean.js';

/**
 * The user settings poly knows. Each key validates its own value; `poly config
 * set` refuses anything else, so readers can trust what they read.
 */
export interface SettingDefinition {
  key: string;
  description: string;
  /** An environment variable that overrides the stored value (issue 3's mirror variables). */
  envVar?: string;
  /** Returns the normalised value, or an error message saying what is accepted. */
  parse: (raw: string) => { value: string } | { error: string };
}

function httpUrl(raw: string): { value: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: `not a URL: ${JSON.stringify(raw)} (expected http:// or https://...)` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { error: `${JSON.stringify(raw)} must be an http:// or https:// URL` };
  // Mirrors are base URLs: a trailing slash would double up when paths are appended.
  return { value: raw.replace(/\/+$/, '') };
}

function oneOf(...choices: string[]) {
  return (raw: string): { value: string } | { error: string } =>
    choices.includes(raw)
      ? { value: raw }
      : { error: `${JSON.stringify(raw)} is not one of ${choices.map((c) => `"${c}"`).join(', ')}` };
}

function tcpPort(raw: string): { value: string } | { error: string } {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= 65_535 && /^\d+$/.test(raw)
    ? { value: String(n) }
    : { error: `${JSON.stringify(raw)} is not a port number (0-65535; 0 turns the listener off)` };
}

function onOff(raw: string): { value: string } | { error: string } {
  const value = raw.toLowerCase();
  if (['true', 'on', 'yes', '1'].includes(value)) return { value: 'true' };
  if (['false', 'off', 'no', '0'].includes(value)) return { value: 'false' };
  return { error: `${JSON.stringify(raw)} is not true or false` };
}

export const SETTINGS: readonly SettingDefinition[] = [
  {
    key: 'mirror.node',
    description: 'Base URL replacing https://nodejs.org/dist',
    envVar: 'POLY_NODE_MIRROR',
    parse: httpUrl,
  },
  {
    key: 'mirror.python',
    description: 'Base URL replacing the python-build-standalone release downloads',
    envVar: 'POLY_PYTHON_MIRROR',
    parse: httpUrl,
  },
  {
    key: 'mirror.python_index',
    description: 'URL of the Python version index (JSON)',
    envVar: 'POLY_PYTHON_INDEX_URL',
    parse: httpUrl,
  },
  {
    key: 'mirror.go',
    description: 'Base URL replacing https://go.dev/dl',
    envVar: 'POLY_GO_MIRROR',
    parse: httpUrl,
  },
  {
    key: 'mirror.java',
    description: 'Adoptium API base replacing https://api.adoptium.net',
    envVar: 'POLY_JAVA_MIRROR',
    parse: httpUrl,
  },
  {
    key: 'mirror.rust',
    description: 'Dist server replacing https://static.rust-lang.org',
    envVar: 'POLY_RUST_MIRROR',
    parse: httpUrl,
  },
  {
    key: 'mirror.postgres',
    description:
      'Maven repository to take PostgreSQL (zonky embedded binaries) from; default: the one Maven uses',
    envVar: 'POLY_POSTGRES_MIRROR',
    parse: httpUrl,
  },
  {
    key: 'mirror.valkey',
    description: 'Base URL replacing https://download.valkey.io/releases (redis and valkey services)',
    envVar: 'POLY_VALKEY_MIRROR',
    parse: httpUrl,
  },
  {
    key: 'mirror.mariadb',
    description: 'Base URL replacing https://archive.mariadb.org (mariadb services)',
    envVar: 'POLY_MARIADB_MIRROR',
    parse: httpUrl,
  },
  {
    key: 'mode',
    description: 'Default service mode: native or container',
    parse: oneOf('native', 'container'),
  },
  {
    key: 'proxy.enabled',
    description:
      'Serve services at https://<service>.<project>.localhost through the local proxy (true/false)',
    envVar: 'POLY_PROXY',
    parse: onOff,
  },
  {
    key: 'proxy.port',
    description: 'HTTPS port of the local proxy (default: 443 when poly may bind it, else 8443)',
    envVar: 'POLY_PROXY_PORT',
    parse: tcpPort,
  },
  {
    key: 'proxy.http_port',
    description:
      'Port of the http:// listener redirecting to https:// (default: 80 when poly may bind it, else 8480; 0 = off)',
    envVar: 'POLY_PROXY_HTTP_PORT',
    parse: tcpPort,
  },
  {
    key: 'proxy.lan',
    description: 'Let other machines reach the proxy (binds 0.0.0.0 instead of 127.0.0.1)',
    envVar: 'POLY_PROXY_LAN',
    parse: onOff,
  },
];

export const SETTING_KEYS: readonly string[] = SETTINGS.map((s) => s.key);

export function settingDefinition(key: string): SettingDefinition {
  const def = SETTINGS.find((s) => s.key === key);
  if (def) return def;
  const guess = didYouMean(key, SETTING_KEYS);
  throw new PolyError(
    'UNKNOWN_SETTING',
    `unknown setting "${key}" (known: ${SETTING_KEYS.join(', ')}).${guess ? ` Did you mean "${guess}"?` : ''}`,
    { hint: 'Run `poly config list` to see every setting and its value.', exitCode: EXIT_USAGE },
  );
}

/** Validates and normalises a value for `key`; throws a PolyError naming what is accepted. */
export function parseSetting(key: string, raw: string): string {
  const result = settingDefinition(key).parse(raw.trim());
  if ('error' in result)
    throw new PolyError('INVALID_SETTING', `invalid value for ${key}: ${result.error}`, {
      hint: `Example: poly config set ${key} ${key === 'mode' ? 'native' : 'https://mirror.example.com/path'}`,
      exitCode: EXIT_USAGE,
    });
  return result.value;
}
