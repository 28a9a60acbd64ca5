import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { databaseProject } from './postgres-project.js';

/**
 * A database service on a fixed port someone else holds: `poly up` refuses
 * it by name before anything is installed or initialised (no data folder).
 * `use` is the service's `use` value, e.g. "postgres@16".
 */
export async function assertPortInUseRefused(
  parent: string,
  use: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const holder = createServer().listen(0, '127.0.0.1');
  await once(holder, 'listening');
  const taken = (holder.address() as AddressInfo).port;
  try {
    const busy = databaseProject(parent, 'busy', `[services.db]\nuse = "${use}"\nport = ${taken}\n`, env);
    const up = await busy.poly('up', '-d');
    assert.equal(up.code, 1, up.stderr);
    assert.match(up.stderr, new RegExp(`service db: port ${taken} is already in use`));
    assert.equal(existsSync(join(busy.root, '.poly/data/db')), false);
  } finally {
    holder.close();
  }
}

/**
 * `use = "<name>@<spec>"` with a version the source lacks: `poly up` fails
 * (exit 1) naming the spec and the nearest versions, `nearest` first,
 * and initialises nothing.
 */
export async function assertMissingVersionRefused(
  parent: string,
  env: NodeJS.ProcessEnv,
  use: { name: string; spec: string; nearest: string },
): Promise<void> {
  const project = databaseProject(parent, 'lacks', `[services.db]\nuse = "${use.name}@${use.spec}"\n`, env);
  const up = await project.poly('up', '-d');
  assert.equal(up.code, 1, up.stderr);
  assert.match(up.stderr, new RegExp(`no ${use.name} version matches "${use.spec.replace(/\./g, '\\.')}"`));
  assert.match(up.stderr, new RegExp(`Nearest versions: ${use.nearest.replace(/\./g, '\\.')}`));
  assert.equal(existsSync(join(project.root, '.poly/data/db')), false);
}
