import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { type ProxyBox, poly, proxyBox, startProxy } from '../../helpers/proxy-fixture.js';

const procNet = process.platform === 'linux' && existsSync('/proc/net/tcp');
if (!procNet) process.stdout.write('# skipping the proxy.lan binding test: it reads /proc/net/tcp (Linux)\n');

/**
 * The addresses the machine's listening TCP sockets on `port` are bound to,
 * from the kernel's own table (/proc/net/tcp and tcp6, state 0A = LISTEN).
 */
function listeningOn(port: number): string[] {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue;
      const [hexAddress, hexPort] = local.split(':');
      if (Number.parseInt(hexPort ?? '', 16) !== port || !hexAddress) continue;
      found.push(
        hexAddress.length === 8
          ? (hexAddress.match(/../g) ?? [])
              .reverse()
              .map((b) => Number.parseInt(b, 16))
              .join('.')
          : `[${hexAddress}]`,
      );
    }
  }
  return found.sort();
}

describe('proxy.lan: the proxy binds beyond loopback only when set', { skip: !procNet }, () => {
  const boxes: ProxyBox[] = [];
  after(() => {
    for (const box of boxes) box.cleanup();
  });

  it('listens on 127.0.0.1 only by default, both the https and the redirecting http port', async () => {
    const box = await proxyBox({ POLY_PROXY_LAN: '' });
    boxes.push(box);
    const proxy = await startProxy(box);
    try {
      assert.deepEqual(listeningOn(box.httpsPort), ['127.0.0.1']);
      assert.deepEqual(listeningOn(box.httpPort), ['127.0.0.1']);
    } finally {
      await proxy.stop();
    }
  });

  it('`poly config set proxy.lan true` makes it listen on every IPv4 address (0.0.0.0)', async () => {
    const box = await proxyBox({ POLY_PROXY_LAN: '' });
    boxes.push(box);
    const set = await poly(box, box.dir, ['config', 'set', 'proxy.lan', 'true']);
    assert.equal(set.code, 0, set.stderr);
    const proxy = await startProxy(box);
    try {
      assert.deepEqual(listeningOn(box.httpsPort), ['0.0.0.0']);
      assert.deepEqual(listeningOn(box.httpPort), ['0.0.0.0']);
    } finally {
      await proxy.stop();
    }
    // And back: the setting is what decides, not a leftover of the last run.
    assert.equal((await poly(box, box.dir, ['config', 'set', 'proxy.lan', 'false'])).code, 0);
    const again = await startProxy(box);
    try {
      assert.deepEqual(listeningOn(box.httpsPort), ['127.0.0.1']);
    } finally {
      await again.stop();
    }
  });
});
