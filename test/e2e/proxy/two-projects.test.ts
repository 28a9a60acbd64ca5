import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { proxyLayout, storeLayout } from '../../../src/core/store/layout.js';
import { isProcessRunning } from '../../../src/core/supervisor/process-alive.js';
import {
  curl,
  type ProxyBox,
  poly,
  proxyBox,
  readSse,
  testService,
  webSocketEcho,
} from '../../helpers/proxy-fixture.js';

/** Waits until `check` holds, polling; the backstop only bounds a hang. */
async function until(check: () => boolean, what: string, backstopMs = 20_000): Promise<void> {
  const deadline = Date.now() + backstopMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${backstopMs} ms`);
    await sleep(50);
  }
}

describe('HTTPS names for two projects through one proxy (real poly up -d, curl, no -k)', () => {
  let box: ProxyBox;
  let shop: string;
  let blog: string;
  let ca: string;
  let caPem: string;
  let proxyPid = 0;
  const url = (host: string, path = '/') => `https://${host}:${box.httpsPort}${path}`;

  before(async () => {
    box = await proxyBox();
    shop = box.project(
      'shop',
      `${testService('web', 'hostnames = ["shop.localhost"]')}\n${testService('api')}`,
    );
    blog = box.project('blog', testService('web'));
    const upShop = await poly(box, shop, ['up', '-d']);
    assert.equal(upShop.code, 0, upShop.stderr);
    const upBlog = await poly(box, blog, ['up', '-d']);
    assert.equal(upBlog.code, 0, upBlog.stderr);
    const path = await poly(box, shop, ['trust', '--path']);
    ca = path.stdout.trim();
    caPem = readFileSync(ca, 'utf8');
    proxyPid = JSON.parse(readFileSync(proxyLayout(storeLayout(box.env)).stateFile, 'utf8')).pid;
  });

  after(async () => {
    await poly(box, shop, ['down']);
    await poly(box, blog, ['down']);
    if (proxyPid && isProcessRunning(proxyPid)) process.kill(proxyPid, 'SIGTERM');
    box.cleanup();
  });

  it('serves each service at its name, verified against the CA from `poly trust --path`, over HTTP/2', async () => {
    assert.ok(ca.startsWith(join(box.dir, 'home')), ca);
    const shopWeb = await curl([
      '--cacert',
      ca,
      '-w',
      '\n%{http_version}',
      url('web.shop.localhost', '/hello'),
    ]);
    const [body, version] = shopWeb.split('\n');
    const answer = JSON.parse(body ?? '{}');
    assert.equal(answer.service, 'web');
    assert.equal(answer.url, '/hello');
    assert.equal(version, '2', 'ALPN negotiated h2');
    assert.equal(answer.headers['x-forwarded-proto'], 'https');
    assert.equal(answer.headers['x-forwarded-host'], `web.shop.localhost:${box.httpsPort}`);
    assert.equal(answer.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(answer.headers.host, `web.shop.localhost:${box.httpsPort}`);
    assert.equal(answer.publicUrls.API_PUBLIC_URL, url('api.shop.localhost').slice(0, -1));
    assert.equal(answer.publicUrls.WEB_PUBLIC_URL, url('web.shop.localhost').slice(0, -1));

    assert.equal(JSON.parse(await curl(['--cacert', ca, url('api.shop.localhost')])).service, 'api');
    assert.equal(JSON.parse(await curl(['--cacert', ca, url('shop.localhost')])).service, 'web', 'hostnames');
    const blogWeb = JSON.parse(await curl(['--cacert', ca, '--http1.1', url('web.blog.localhost')]));
    assert.equal(blogWeb.service, 'web');
    assert.equal(blogWeb.publicUrls.WEB_PUBLIC_URL, url('web.blog.localhost').slice(0, -1));
  });

  it('refuses the connection to curl without the CA: the certificate really is checked', async () => {
    await assert.rejects(curl([url('web.shop.localhost')]), /certificate/i);
  });

  it('redirects http:// to https://', async () => {
    const head = await curl(['-I', `http://web.shop.localhost:${box.httpPort}/a?b=1`]);
    assert.match(head, /^HTTP\/1\.1 308/);
    assert.match(head, new RegExp(`location: ${url('web.shop.localhost', '/a\\?b=1')}`, 'i'));
  });

  it('streams SSE without buffering: the first event arrives before the service sends the second', async () => {
    const { first, all } = await readSse(
      { port: box.httpsPort, host: 'web.shop.localhost', ca: caPem, path: '/sse' },
      async () => {
        await curl(['--cacert', ca, url('web.shop.localhost', '/release')]);
      },
    );
    assert.equal(first, 'data: first\n\n');
    assert.equal(all, 'data: first\n\ndata: second\n\n');
  });

  it('passes a WebSocket upgrade through and echoes a message', async () => {
    const { status, echo } = await webSocketEcho({
      port: box.httpsPort,
      host: 'web.blog.localhost',
      ca: caPem,
      text: 'hello through poly',
    });
    assert.equal(status, 'HTTP/1.1 101 Switching Protocols');
    assert.equal(echo, 'hello through poly');
  });

  it('shows the public URL in poly ps', async () => {
    const ps = await poly(box, shop, ['ps']);
    assert.match(ps.stdout, /PUBLIC URL/);
    assert.ok(ps.stdout.includes(url('api.shop.localhost').slice(0, -1)), ps.stdout);
  });

  it('poly open hands the https name to $BROWSER', async () => {
    const opened = join(box.dir, 'opened.txt');
    const browser = join(box.dir, 'browser.sh');
    writeFileSync(browser, `#!/bin/sh\necho "$1" > ${opened}\n`, { mode: 0o755 });
    const open = await poly({ ...box, env: { ...box.env, BROWSER: browser } }, shop, ['open', 'api']);
    assert.equal(open.code, 0, open.stderr);
    await until(
      () => existsSync(opened) && readFileSync(opened, 'utf8').length > 0,
      'the browser script running',
    );
    assert.equal(readFileSync(opened, 'utf8').trim(), url('api.shop.localhost').slice(0, -1));
    const which = await poly(box, shop, ['open']);
    assert.match(which.stderr, /say which service to open: web, api/);
  });

  it('poly doctor says which port the proxy uses and how to get 443', async () => {
    const doctor = await poly(box, shop, ['doctor', '--json']);
    const finding = JSON.parse(doctor.stdout).findings.find((f: { id: string }) => f.id === 'proxy');
    assert.match(
      finding.message,
      new RegExp(`runs \\(pid ${proxyPid}\\) on 127\\.0\\.0\\.1:${box.httpsPort}`),
    );
    assert.match(finding.fix, /443/);
  });

  it('answers an unknown name with a page listing the running projects', async () => {
    const page = await curl(['--cacert', ca, '-w', '\n%{http_code}', url('nothing.localhost')]);
    assert.match(page, /Nothing is served at nothing\.localhost/);
    assert.match(page, /web\.blog\.localhost/);
    assert.match(page, /404$/);
  });

  it('after `poly down` the name answers with poly page; the other project keeps working', async () => {
    const down = await poly(box, shop, ['down']);
    assert.equal(down.code, 0, down.stderr);
    const page = await curl(['--cacert', ca, '-w', '\n%{http_code}', url('web.shop.localhost')]);
    assert.match(page, /web \(shop\) is not running/);
    assert.ok(page.includes(`cd ${shop} &#38;&#38; poly up -d web`), page);
    assert.match(page, /503$/);
    assert.equal(JSON.parse(await curl(['--cacert', ca, url('web.blog.localhost')])).service, 'web');
  });

  it('stops the proxy once no project runs', async () => {
    assert.ok(isProcessRunning(proxyPid), 'the proxy ran while blog was up');
    assert.equal((await poly(box, blog, ['down'])).code, 0);
    await until(() => !isProcessRunning(proxyPid), 'the proxy exiting');
    assert.equal(existsSync(proxyLayout(storeLayout(box.env)).socket), false);
  });
});
