import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { proxyLayout, storeLayout } from '../../../src/core/store/layout.js';
import { isProcessRunning } from '../../../src/core/supervisor/process-alive.js';
import { dockerForTests } from '../../helpers/docker.js';
import { BUSYBOX_TEST_IMAGE, busyboxTestImage } from '../../helpers/docker-images.js';
import { curl, type ProxyBox, poly, proxyBox, testService } from '../../helpers/proxy-fixture.js';

const { client, skip } = await dockerForTests();

/** busybox httpd in a container: its host port is published on 127.0.0.1 and picked by poly. */
const BOX = `[services.box]\nimage = "${BUSYBOX_TEST_IMAGE}"\nrun = 'mkdir -p /www && echo box-in-a-container > /www/index.html && exec httpd -f -p 8080 -h /www'\nport = 8080\n`;

describe('proxy routes follow poly up -d re-applies, restarts and container services', () => {
  let box: ProxyBox;
  let shop: string;
  let ca: string;
  const url = (host: string, path = '/') => `https://${host}:${box.httpsPort}${path}`;
  const get = async (host: string) => curl(['--cacert', ca, '-w', '\n%{http_code}', url(host)]);

  before(async () => {
    box = await proxyBox();
    shop = box.project('shop', testService('web'));
    const up = await poly(box, shop, ['up', '-d']);
    assert.equal(up.code, 0, up.stderr);
    ca = (await poly(box, shop, ['trust', '--path'])).stdout.trim();
  });

  after(async () => {
    await poly(box, shop, ['down']);
    const state = proxyLayout(storeLayout(box.env)).stateFile;
    if (existsSync(state)) {
      const { pid } = JSON.parse(readFileSync(state, 'utf8'));
      if (isProcessRunning(pid)) process.kill(pid, 'SIGTERM');
    }
    box.cleanup();
  });

  it('a re-apply with a new service and a new host name routes both as soon as poly up -d returns', async () => {
    assert.match(await get('api.shop.localhost'), /No service named api\.shop\.localhost[\s\S]*404$/);
    writeFileSync(
      join(shop, 'poly.toml'),
      `[project]\nname = "shop"\n\n${testService('web', 'hostnames = ["store.localhost"]')}\n${testService('api')}`,
    );
    const apply = await poly(box, shop, ['up', '-d']);
    assert.equal(apply.code, 0, apply.stderr);
    assert.equal(JSON.parse((await get('api.shop.localhost')).split('\n')[0] ?? '').service, 'api');
    assert.equal(JSON.parse((await get('store.localhost')).split('\n')[0] ?? '').service, 'web');
  });

  it('a removed service answers with the page, not its old port', async () => {
    writeFileSync(join(shop, 'poly.toml'), `[project]\nname = "shop"\n\n${testService('web')}`);
    assert.equal((await poly(box, shop, ['up', '-d'])).code, 0);
    assert.match(await get('api.shop.localhost'), /No service named api\.shop\.localhost[\s\S]*404$/);
    assert.match(await get('store.localhost'), /Nothing is served at store\.localhost/);
  });

  it('a new [project] domain moves the names once poly up -d returns', async () => {
    writeFileSync(
      join(shop, 'poly.toml'),
      `[project]\nname = "shop"\ndomain = "market.localhost"\n\n${testService('web')}`,
    );
    const apply = await poly(box, shop, ['up', '-d']);
    assert.equal(apply.code, 0, apply.stderr);
    const answer = JSON.parse((await get('web.market.localhost')).split('\n')[0] ?? '');
    assert.equal(
      answer.publicUrls.WEB_PUBLIC_URL,
      url('web.market.localhost').slice(0, -1),
      'restarted with the new URL',
    );
    assert.match(await get('web.shop.localhost'), /Nothing is served at web\.shop\.localhost/);
    writeFileSync(join(shop, 'poly.toml'), `[project]\nname = "shop"\n\n${testService('web')}`);
    assert.equal((await poly(box, shop, ['up', '-d'])).code, 0);
  });

  it('a restarted service is served again once poly restart returns', async () => {
    const restart = await poly(box, shop, ['restart', 'web']);
    assert.equal(restart.code, 0, restart.stderr);
    assert.match(await get('web.shop.localhost'), /"service":"web"[\s\S]*200$/);
  });

  it('serves a container service at its name through its published host port', { skip }, async () => {
    await busyboxTestImage(client);
    writeFileSync(join(shop, 'poly.toml'), `[project]\nname = "shop"\n\n${testService('web')}\n${BOX}`);
    const apply = await poly(box, shop, ['up', '-d']);
    assert.equal(apply.code, 0, `${apply.stdout}\n${apply.stderr}`);
    assert.match(await get('box.shop.localhost'), /^box-in-a-container\n\n200$/);
  });
});

describe('a proxy port held by another program', () => {
  it('poly up -d still starts the services and warns that the names do not answer, naming the fix', async () => {
    const box = await proxyBox();
    const squatter = createServer().listen(box.httpsPort, '127.0.0.1');
    await once(squatter, 'listening');
    const shop = box.project('shop', testService('web'));
    try {
      const up = await poly(box, shop, ['up', '-d']);
      assert.equal(up.code, 0, up.stderr);
      assert.match(up.stdout, /web\s+healthy/);
      assert.match(
        up.stderr,
        new RegExp(`warning: the HTTPS proxy is not running.*:${box.httpsPort} does not answer`),
      );
      assert.match(up.stderr, /EADDRINUSE/);
      assert.match(up.stderr, /poly config set proxy\.port <port>/);
    } finally {
      await poly(box, shop, ['down']);
      squatter.close();
      box.cleanup();
    }
  });
});
