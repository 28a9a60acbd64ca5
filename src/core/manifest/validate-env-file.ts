import { isAbsolute, relative, resolve, sep } from 'node:path';
import { type Checker, describeValue, isTable, type Table } from './checker.js';
import type { EnvFileRef, RuntimeName, ServiceSpec } from './types.js';

const ENV_FILE_KEYS = ['path', 'required', 'secret'];
const PROTOCOLS = ['http', 'tcp'];

/**
 * `env_file`: a path, a `{ path, required, secret }` table, or a list of either;
 * relative to poly.toml, inside the project. Later files win.
 */
export function envFilesOf(
  value: unknown,
  path: readonly string[],
  check: Checker,
): EnvFileRef[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry, i) => {
    const at = [...path];
    let written: unknown = entry;
    let required = true;
    let secret = false;
    if (isTable(entry)) {
      check.unknownKeys(entry, ENV_FILE_KEYS, at);
      written = entry.path;
      if (entry.required !== undefined) {
        if (typeof entry.required !== 'boolean')
          check.fail(
            at,
            `${path.join('.')}: required must be true or false, got ${describeValue(entry.required)}`,
          );
        required = entry.required as boolean;
      }
      if (entry.secret !== undefined) {
        if (typeof entry.secret !== 'boolean')
          check.fail(
            at,
            `${path.join('.')}: secret must be true or false, got ${describeValue(entry.secret)}`,
          );
        secret = entry.secret as boolean;
      }
    }
    if (typeof written !== 'string' || written.trim() === '')
      check.fail(
        at,
        `${path.join('.')}${Array.isArray(value) ? `[${i}]` : ''} must be a file path or { path = "...", required = false }, got ${describeValue(written)}`,
        'Write env_file = ".env", env_file = [".env", ".env.local"] or env_file = { path = ".env.local", required = false }.',
      );
    const abs = resolve(check.ctx.root, written as string);
    if (!inside(check.ctx.root, abs))
      check.fail(
        at,
        `${path.join('.')} "${written}" is outside the project folder ${check.ctx.root}`,
        'Paths are relative to the folder holding poly.toml and must stay inside it.',
      );
    return { path: abs, written: written as string, required, ...(secret ? { secret } : {}) };
  });
}

/** A service's env_file, venv and protocol. */
export function serviceExtras(
  name: string,
  raw: Table,
  check: Checker,
  runtime: string | undefined,
  servicePath: string,
): Pick<ServiceSpec, 'envFiles' | 'venv' | 'protocol'> {
  const key = (k: string) => ['services', name, k];
  const envFiles = envFilesOf(raw.env_file, key('env_file'), check);
  let venv: string | undefined;
  if (raw.venv !== undefined) {
    if (typeof raw.venv !== 'string' || raw.venv.trim() === '')
      check.fail(key('venv'), `services.${name}.venv must be a folder path, got ${describeValue(raw.venv)}`);
    if ((runtime as RuntimeName | undefined) !== 'python')
      check.fail(
        key('venv'),
        `services.${name}.venv is for Python services, but its runtime is ${runtime ? `"${runtime}"` : 'not set'}`,
        'Set runtime = "python", or remove venv.',
      );
    venv = resolve(servicePath, raw.venv as string);
    if (!inside(check.ctx.root, venv))
      check.fail(
        key('venv'),
        `services.${name}.venv "${raw.venv}" is outside the project folder ${check.ctx.root}`,
        'The path is relative to the service folder and must stay inside the project.',
      );
  }
  const protocol =
    raw.protocol === undefined ? undefined : check.oneOf(raw.protocol, PROTOCOLS, key('protocol'), 'http');
  return {
    ...(envFiles ? { envFiles } : {}),
    ...(venv ? { venv } : {}),
    ...(protocol ? { protocol: protocol as 'http' | 'tcp' } : {}),
  };
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return !(rel.split(sep)[0] === '..' || isAbsolute(rel));
}
