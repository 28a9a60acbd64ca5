import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isPolyError } from '../../../src/core/errors.js';
import { privilegedPortReason } from '../../../src/core/proxy/privileged-port.js';
import { proxySettings } from '../../../src/core/proxy/proxy-settings.js';
import { setConfig } from '../../../src/services/config/config.js';
import { testHost } from '../../helpers/context.js';

describe('proxy settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-proxy-settings-'));
  const env = { POLY_HOME: join(dir, 'home'), POLY_CONFIG_DIR: join(dir, 'config') };
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to 443 and 80 when this user may bind them, else 8443 and 8480, on 127.0.0.1', () => {
    const s = proxySettings(env, testHost());
    const privileged = privilegedPortReason(testHost().os) !== undefined;
    assert.equal(s.httpsPort, privileged ? 443 : 8443);
    assert.equal(s.httpPort, privileged ? 80 : 8480);
    assert.equal(s.host, '127.0.0.1');
    assert.equal(s.enabled, true);
  });

  it('takes proxy.port and proxy.lan from poly config, and the environment over both', async () => {
    await setConfig('proxy.port', '9443', env);
    await setConfig('proxy.lan', 'true', env);
    await setConfig('proxy.http_port', '0', env);
    const s = proxySettings(env, testHost());
    assert.deepEqual(
      { port: s.httpsPort, http: s.httpPort, host: s.host, from: s.portFrom },
      { port: 9443, http: undefined, host: '0.0.0.0', from: 'setting' },
    );
    assert.equal(proxySettings({ ...env, POLY_PROXY_PORT: '10443' }, testHost()).httpsPort, 10443);
    assert.equal(proxySettings({ ...env, POLY_PROXY: 'off' }, testHost()).enabled, false);
  });

  it('refuses a port that is not one', async () => {
    await assert.rejects(
      setConfig('proxy.port', '99999', env),
      (err: unknown) => isPolyError(err) && /not a port number/.test(err.message),
    );
  });
});
