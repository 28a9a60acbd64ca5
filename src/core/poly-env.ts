/**
 * Every POLY_* variable poly reads, in one table, and the typed readers for them.
 * Not listed here: the variables of settings (POLY_PROXY, POLY_<RUNTIME>_MIRROR …,
 * declared with their setting in core/settings/keys.ts and runtimes/ / packages/),
 * and the ones poly sets for its own children (POLY_SERVICE_INSTANCE, POLY_SHELL_HOOK,
 * POLY_DB_BIN, POLY_DB_DATA). test/unit/core/poly-env.test.ts holds the source to it:
 * a POLY_ name in the code that is in none of those places fails the suite.
 */
export const POLY_VARIABLES = {
  POLY_HOME: {
    kind: 'user',
    doc: "poly's store (installs, downloads, caches, shims); default the XDG data dir",
  },
  POLY_CONFIG_DIR: { kind: 'user', doc: 'user settings and the global poly.toml; default ~/.config/poly' },
  POLY_OFFLINE: { kind: 'user', doc: '1: cached indexes and installed versions only, as --offline' },
  POLY_DEBUG: { kind: 'user', doc: '1: stack traces with every error' },
  POLY_HTTP_TIMEOUT_MS: { kind: 'user', doc: 'a source silent this long fails the attempt (30000)' },
  POLY_HTTP_RETRIES: { kind: 'user', doc: 'attempts after the first for a failed download (3)' },
  POLY_HTTP_BACKOFF_MS: { kind: 'user', doc: 'wait before the first retry, doubled each time (500)' },
  POLY_HTTP_SLOW_MS: { kind: 'user', doc: 'after this much silence poly names the URL it waits for (5000)' },
  POLY_INDEX_TTL: { kind: 'user', doc: 'seconds a cached remote version index stays fresh (21600)' },
  POLY_TRUST_STORES: {
    kind: 'user',
    doc: 'which stores `poly trust` touches: "system", "nss" or both (default)',
  },
  POLY_POSTGRES_IMAGE: { kind: 'user', doc: 'the image container mode runs for `use = "postgres@…"`' },
  POLY_REDIS_IMAGE: { kind: 'user', doc: 'the image container mode runs for `use = "redis@…"`' },
  POLY_VALKEY_IMAGE: { kind: 'user', doc: 'the image container mode runs for `use = "valkey@…"`' },
  POLY_MARIADB_IMAGE: { kind: 'user', doc: 'the image container mode runs for `use = "mariadb@…"`' },
  POLY_VALKEY_INDEX_URL: { kind: 'user', doc: "the Valkey version list (GitHub releases' JSON layout)" },
  POLY_SYSTEM_TAR: { kind: 'test', doc: "0: unpack with poly's own tar code instead of the machine's tar" },
  POLY_NO_SH_EXEC: { kind: 'test', doc: "1: bin/poly never serves `poly exec` itself (always Node's path)" },
  POLY_NO_SH_RUN: { kind: 'test', doc: "1: bin/poly never serves `poly run` itself (always Node's path)" },
  POLY_LOG_MAX_BYTES: { kind: 'test', doc: 'service log rotation size (a detached supervisor reads it)' },
  POLY_PROXY_IDLE_MS: { kind: 'test', doc: 'how long the HTTPS proxy outlives the last project using it' },
} as const satisfies Record<string, { kind: 'user' | 'test'; doc: string }>;

export type PolyVariable = keyof typeof POLY_VARIABLES;

function flag(env: NodeJS.ProcessEnv, name: PolyVariable): boolean {
  const value = env[name];
  return value === '1' || value === 'true';
}

/** POLY_OFFLINE=1 (or true): no network; cached indexes and installed versions only. */
export function isOffline(env: NodeJS.ProcessEnv): boolean {
  return flag(env, 'POLY_OFFLINE');
}

/** POLY_DEBUG=1: errors carry their stack. */
export function isDebug(env: NodeJS.ProcessEnv): boolean {
  return env.POLY_DEBUG === '1';
}

/** A numeric variable, or the fallback when unset, empty or not a number. */
export function numberVariable(env: NodeJS.ProcessEnv, name: PolyVariable, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  return Number.isFinite(n) ? n : fallback;
}
