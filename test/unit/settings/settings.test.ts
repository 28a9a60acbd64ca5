import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PolyError } from '../../../src/core/errors.js';
import { effectiveSetting } from '../../../src/core/settings/effective.js';
import { parseSetting, SETTING_KEYS } from '../../../src/core/settings/keys.js';
import { readSetting } from '../../../src/core/settings/read.js';
import { getConfig, listConfig, setConfig, unsetConfig } from '../../../src/services/config/config.js';
import { tempHome } from '../../helpers/poly-cli.js';

describe('settings', () => {
  const home = tempHome();
  after(home.cleanup);
  const env = home.env;

  it('stores a mirror under POLY_CONFIG_DIR and reads it back without conf', async () => {
    const result = await setConfig('mirror.node', 'https://mirror.test/node/', env);
    assert.equal(result.value, 'https://mirror.test/node');
    assert.equal(result.file, join(env.POLY_CONFIG_DIR!, 'config.json'));
    const raw = JSON.parse(readFileSync(result.file, 'utf8'));
    assert.deepEqual(raw, { mirror: { node: 'https://mirror.test/node' } });
    assert.equal(readSetting('mirror.node', env), 'https://mirror.test/node');
    assert.equal(getConfig('mirror.node', env).value, 'https://mirror.test/node');
  });

  it('lists every known key, unset ones as null', () => {
    const list = listConfig(env);
    assert.deepEqual(
      list.settings.map((s) => s.key),
      [...SETTING_KEYS],
    );
    assert.equal(list.settings.find((s) => s.key === 'mode')?.value, null);
  });

  it('unsets a key and leaves no empty group', async () => {
    assert.deepEqual(await unsetConfig('mirror.node', env), { key: 'mirror.node', removed: true });
    assert.deepEqual(await unsetConfig('mirror.node', env), { key: 'mirror.node', removed: false });
    assert.equal(readSetting('mirror.node', env), undefined);
    assert.deepEqual(JSON.parse(readFileSync(join(env.POLY_CONFIG_DIR!, 'config.json'), 'utf8')), {});
  });

  it('refuses an unknown key, listing the known ones with a guess', () => {
    assert.throws(
      () => parseSetting('mirror.nod', 'https://x.test'),
      (err: unknown) =>
        err instanceof PolyError &&
        err.exitCode === 2 &&
        err.message ===
          'unknown setting "mirror.nod" (known: mirror.node, mirror.python, mirror.python_index, mirror.go, mirror.java, mirror.rust, mirror.postgres, mirror.valkey, mirror.mariadb, mode, proxy.enabled, proxy.port, proxy.http_port, proxy.lan). Did you mean "mirror.node"?',
    );
  });

  it('refuses values that are not http(s) URLs or not a known mode', () => {
    assert.throws(() => parseSetting('mirror.go', 'ftp://x.test'), /must be an http:\/\/ or https:\/\/ URL/);
    assert.throws(() => parseSetting('mirror.rust', 'not a url'), /not a URL/);
    assert.throws(() => parseSetting('mode', 'docker'), /"docker" is not one of "native", "container"/);
    assert.equal(parseSetting('mode', 'container'), 'container');
  });

  it('readSetting tolerates a missing or corrupt file', () => {
    assert.equal(readSetting('mode', { POLY_CONFIG_DIR: join(home.dir, 'nowhere') }), undefined);
  });
});

describe('settings file problems', () => {
  const home = tempHome();
  after(home.cleanup);

  it('a corrupt settings file is a PolyError naming the file', async () => {
    mkdirSync(home.env.POLY_CONFIG_DIR!, { recursive: true });
    writeFileSync(join(home.env.POLY_CONFIG_DIR!, 'config.json'), '{ not json');
    // Readers name it too: reading it as "nothing set" would drop the user's mirrors in silence.
    assert.throws(
      () => readSetting('mode', home.env),
      (err: unknown) =>
        err instanceof PolyError &&
        err.code === 'SETTINGS_UNREADABLE' &&
        err.message.startsWith(`${join(home.env.POLY_CONFIG_DIR!, 'config.json')} is not valid JSON`),
    );
    await assert.rejects(
      setConfig('mode', 'native', home.env),
      (err: unknown) =>
        err instanceof PolyError && err.message.includes('config.json') && /delete/.test(err.hint ?? ''),
    );
  });
});

describe('effective settings', () => {
  const home = tempHome();
  after(home.cleanup);

  it('an environment variable overrides the stored mirror, and says so', async () => {
    await setConfig('mirror.go', 'https://stored.test/go', home.env);
    assert.deepEqual(effectiveSetting('mirror.go', home.env), {
      value: 'https://stored.test/go',
      from: 'config',
    });
    const env = { ...home.env, POLY_GO_MIRROR: 'http://127.0.0.1:9/go/' };
    assert.deepEqual(effectiveSetting('mirror.go', env), {
      value: 'http://127.0.0.1:9/go',
      from: 'env',
      envVar: 'POLY_GO_MIRROR',
    });
    const listed = listConfig(env).settings.find((s) => s.key === 'mirror.go');
    assert.equal(listed?.from, 'env');
    assert.equal(listed?.envVar, 'POLY_GO_MIRROR');
  });

  it('a malformed environment value is a usage error naming the variable', () => {
    assert.throws(
      () => effectiveSetting('mirror.rust', { ...home.env, POLY_RUST_MIRROR: 'static.example' }),
      (err: unknown) =>
        err instanceof PolyError && err.exitCode === 2 && err.message.startsWith('POLY_RUST_MIRROR: '),
    );
  });
});
