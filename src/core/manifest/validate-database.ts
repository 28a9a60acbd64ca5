import { didYouMean } from '../text/did-you-mean.js';
import { type Checker, describeValue, guessSuffix, isTable, type Table } from './checker.js';
import { DATABASE_NAMES, type DatabaseName, type DatabaseSpec } from './types.js';

/** The keys that only mean something beside `use`. */
export const DATABASE_KEYS = ['use', 'database', 'user', 'password', 'init', 'config'];

/**
 * `use = "postgres@16"` and its companions, checked and typed; undefined when
 * the service has no `use`. `resolvePath` turns an init file into an absolute
 * path inside the project (or fails).
 */
export function databaseOf(
  name: string,
  raw: Table,
  check: Checker,
  resolvePath: (written: string, path: string[]) => string,
): DatabaseSpec | undefined {
  const key = (...rest: string[]) => ['services', name, ...rest];
  if (raw.use === undefined) {
    const stray = DATABASE_KEYS.find((k) => raw[k] !== undefined);
    if (stray)
      check.fail(
        key(stray),
        `services.${name}.${stray} only applies to a database service, and this one has no use = "..."`,
        'Add use = "postgres@16", or remove the line.',
      );
    return undefined;
  }
  const use = raw.use;
  if (typeof use !== 'string' || use.trim() === '')
    check.fail(
      key('use'),
      `services.${name}.use must be a string like "postgres@16", got ${describeValue(use)}`,
    );
  const [db = '', spec = 'latest'] = use.trim().split('@', 2);
  if (db === 'mysql') mysqlUnavailable(name, check, key('use'));
  if (!(DATABASE_NAMES as readonly string[]).includes(db))
    check.fail(
      key('use'),
      `services.${name}.use: unknown database "${db}" (known: ${DATABASE_NAMES.join(', ')}).${guessSuffix(db, DATABASE_NAMES)}`,
      `Write use = "${didYouMean(db, DATABASE_NAMES) ?? 'postgres'}@<version>".`,
    );
  if (!/^[0-9][0-9.]*$|^latest$/.test(spec))
    check.fail(
      key('use'),
      `services.${name}.use: "${spec}" is not a version (write a major like "16", or "16.4", or "latest")`,
      `Write use = "${db}@16".`,
    );
  for (const k of ['run', 'image', 'build'])
    if (raw[k] !== undefined)
      check.fail(
        key(k),
        `services.${name} uses ${db}, so poly runs it; ${k} contradicts use`,
        `Remove the ${k} line (mode = "container" runs ${db}'s official image).`,
      );
  if (db === 'redis' || db === 'valkey')
    for (const k of ['database', 'user', 'init'])
      if (raw[k] !== undefined)
        check.fail(
          key(k),
          `services.${name}.${k} does not apply to ${db} (it has no users, named databases or SQL)`,
          `Remove the ${k} line; ${db} takes password and config.`,
        );
  const text = (k: string, pattern: RegExp, what: string): string | undefined => {
    const v = raw[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !pattern.test(v))
      check.fail(key(k), `services.${name}.${k} must be ${what}, got ${describeValue(v)}`);
    return v as string;
  };
  const identifier = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;
  const database = text('database', identifier, 'a database name (letters, digits, _ and -)');
  const user = text('user', identifier, 'a user name (letters, digits, _ and -)');
  const password = text('password', /^[^\s]{1,200}$/, 'a password without spaces');
  const initRaw = raw.init ?? [];
  if (!Array.isArray(initRaw) || initRaw.some((f) => typeof f !== 'string' || f.trim() === ''))
    check.fail(
      key('init'),
      `services.${name}.init must be an array of SQL file paths, got ${describeValue(initRaw)}`,
      'Write init = ["db/schema.sql", "db/seed.sql"].',
    );
  const init = (initRaw as string[]).map((f, i) => resolvePath(f, key('init', String(i))));
  const configRaw = raw.config ?? {};
  if (!isTable(configRaw))
    check.fail(
      key('config'),
      `services.${name}.config must be a table of settings, got ${describeValue(configRaw)}`,
    );
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(configRaw as Table)) {
    if (
      !/^[a-z_][a-z0-9_.]*$/.test(k) ||
      !['string', 'number', 'boolean'].includes(typeof v) ||
      /[\r\n]/.test(String(v))
    )
      check.fail(
        key('config', k),
        `services.${name}.config.${k} must be a setting name with a string, number or boolean value on one line`,
        'Write config = { max_connections = "50" }.',
      );
    config[k] = String(v);
  }
  return {
    name: db as DatabaseName,
    spec,
    ...(database ? { database } : {}),
    ...(user ? { user } : {}),
    ...(password ? { password } : {}),
    init,
    config,
  };
}

/**
 * MySQL's own tarballs come with an MD5 on a web page and a GPG signature, no
 * checksum file poly can verify, and no maintained relocatable build publishes
 * one: poly does not install MySQL rather than install it unverified.
 */
function mysqlUnavailable(name: string, check: Checker, path: string[]): never {
  return check.fail(
    path,
    `services.${name}.use: poly cannot install MySQL natively: MySQL publishes an MD5 and a GPG signature for its tarballs on its download pages but no checksum file, and poly verifies no GPG signatures`,
    'Write use = "mariadb@11" (MySQL\'s protocol, SQL and mysql:// URLs), or run MySQL\'s image: image = "mysql:8" with its MYSQL_* env.',
  );
}
