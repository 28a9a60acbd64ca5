import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { getPackage } from '../../../packages/index.js';
import { allRuntimes } from '../../../runtimes/index.js';
import { DATABASE_NAMES } from '../../../src/core/manifest/types.js';
import { isOffline, numberVariable, POLY_VARIABLES } from '../../../src/core/poly-env.js';
import { SETTING_KEYS, settingDefinition } from '../../../src/core/settings/keys.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** Variables poly sets for its own children, never read from the user. */
const SET_BY_POLY = ['POLY_SERVICE_INSTANCE', 'POLY_SHELL_HOOK', 'POLY_DB_BIN', 'POLY_DB_DATA'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|sh|fish)$/.test(name) || name === 'poly' ? [path] : [];
  });
}

function namesIn(files: string[]): Map<string, string> {
  const found = new Map<string, string>();
  const constants = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // TypeScript constants that happen to start with POLY_ (POLY_VARIABLES) are not variables.
    for (const m of text.matchAll(/\bconst (POLY_[A-Z0-9_]+)\b/g)) constants.add(m[1] as string);
    for (const m of text.matchAll(/\bPOLY_[A-Z0-9_]*[A-Z0-9]\b/g)) {
      if (!found.has(m[0])) found.set(m[0], file.slice(ROOT.length));
    }
  }
  for (const name of constants) found.delete(name);
  return found;
}

describe('the POLY_* variables', () => {
  it('every one the code names is in the table, a setting, a mirror, or set by poly itself', () => {
    const known = new Set<string>([...Object.keys(POLY_VARIABLES), ...SET_BY_POLY]);
    for (const key of SETTING_KEYS) {
      const envVar = settingDefinition(key).envVar;
      if (envVar) known.add(envVar);
    }
    for (const def of allRuntimes()) {
      known.add(def.mirrorEnv);
      if (def.indexUrlEnv) known.add(def.indexUrlEnv);
    }
    for (const name of DATABASE_NAMES) known.add(getPackage(name).mirrorEnv);
    const files = ['src', 'runtimes', 'packages', 'bin'].flatMap((d) => sourceFiles(join(ROOT, d)));
    const unknown = [...namesIn(files)].filter(([name]) => !known.has(name) && !name.endsWith('_MIRROR_'));
    assert.deepEqual(
      unknown.map(([name, file]) => `${name} (${file})`),
      [],
      'add each to POLY_VARIABLES in src/core/poly-env.ts, with what it does',
    );
  });

  it('README documents the ones for users, CONTRIBUTING the ones for tests', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const contributing = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8');
    for (const [name, v] of Object.entries(POLY_VARIABLES)) {
      const doc = v.kind === 'user' ? readme : contributing;
      assert.ok(
        doc.includes(name),
        `${name} is not in ${v.kind === 'user' ? 'README.md' : 'CONTRIBUTING.md'}`,
      );
    }
  });

  it('reads flags and numbers one way', () => {
    assert.equal(isOffline({ POLY_OFFLINE: '1' }), true);
    assert.equal(isOffline({ POLY_OFFLINE: 'true' }), true);
    assert.equal(isOffline({ POLY_OFFLINE: '0' }), false);
    assert.equal(isOffline({}), false);
    assert.equal(numberVariable({ POLY_HTTP_RETRIES: '0' }, 'POLY_HTTP_RETRIES', 3), 0);
    assert.equal(numberVariable({ POLY_HTTP_RETRIES: '' }, 'POLY_HTTP_RETRIES', 3), 3);
    assert.equal(numberVariable({ POLY_HTTP_RETRIES: 'many' }, 'POLY_HTTP_RETRIES', 3), 3);
  });
});
