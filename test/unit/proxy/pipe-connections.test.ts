import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect } from 'node:tls';
import { ensureLocalCa } from '../../../src/core/proxy/ca.js';
import type { PublishedService } from '../../../src/core/proxy/routes.js';
import { ProxyServer } from '../../../src/core/proxy/server.js';
import { proxyLayout, storeLayout } from '../../../src/core/store/layout.js';
import { freePort } from '../../helpers/http.js';

/** What a service saw: each request, and how many TCP connections reached it. */
interface Seen {
  server: Server;
  port: number;
  requests: { url: string; headers: IncomingHttpHeaders; body: string; trailers: NodeJS.Dict<string> }[];
  connections: number;
}

/** A real HTTP service on a free port that records what reaches it and answers with its name and the path. */
async function service(name: string): Promise<Seen> {
  const seen: Seen = { server: createServer(), port: await freePort(), requests: [], connections: 0 };
  seen.server.on('connection', () => seen.connections++);
  seen.server.on('request', (req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (d: string) => {
      body += d;
    });
    req.on('end', () => {
      seen.requests.push({ url: req.url ?? '', headers: req.headers, body, trailers: req.trailers });
      res.setHeader('content-type', 'text/plain');
      res.end(`${name} ${req.url}`);
    });
  });
  await new Promise<void>((resolve) => seen.server.listen(seen.port, '127.0.0.1', resolve));
  return seen;
}

/** One HTTP/1.1 connection to the proxy over TLS, written by hand so each byte is the test's. */
function client(port: number, ca: string) {
  const socket = connect({
    port,
    host: '127.0.0.1',
    servername: 'api.t.localhost',
    ca,
    ALPNProtocols: ['http/1.1'],
  });
  let received = '';
  const waiters: (() => void)[] = [];
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => {
    received += d;
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('close', () => {
    for (const w of waiters.splice(0)) w();
  });
  return {
    send: (text: string) => socket.write(text, 'latin1'),
    closed,
    /** Waits until `count` answers have arrived (or the connection closed), and returns all received. */
    async answers(count: number): Promise<string> {
      while ((received.match(/^HTTP\/1\.1 /gm) ?? []).length < count && !socket.destroyed)
        await new Promise<void>((resolve) => waiters.push(resolve));
      return received;
    },
    received: () => received,
    end: () => socket.destroy(),
  };
}

const HOST = 'api.t.localhost';
const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: ${HOST}\r\n${extra}\r\n`;

describe('HTTP/1.1 through the proxy as a byte pipe (real TLS, real services)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-proxy-pipe-'));
  let proxy: ProxyServer;
  let port: number;
  let ca: string;
  let one: Seen;
  let two: Seen;
  const publish = (s: Partial<PublishedService>) =>
    proxy.publish({
      root: '/t',
      name: 't',
      domain: 't.localhost',
      pid: process.pid,
      services: [{ name: 'api', hostnames: [HOST], state: 'healthy', port: one.port, ...s }],
    });

  before(async () => {
    const paths = proxyLayout(storeLayout({ POLY_HOME: dir, POLY_CONFIG_DIR: dir }));
    const localCa = await ensureLocalCa(paths, process.env);
    ca = localCa.certPem;
    port = await freePort();
    proxy = new ProxyServer({ ca: localCa, leavesDir: paths.leaves, host: '127.0.0.1', httpsPort: port });
    await proxy.listen();
    [one, two] = await Promise.all([service('one'), service('two')]);
  });
  after(async () => {
    await proxy.close();
    one.server.close();
    two.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers kept-alive and pipelined requests in order over one service connection, X-Forwarded-* set by poly', async () => {
    publish({});
    const was = { connections: one.connections, requests: one.requests.length };
    const c = client(port, ca);
    c.send(get('/a', 'X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Host: evil.example\r\n'));
    await c.answers(1);
    c.send(get('/b') + get('/c'));
    const text = await c.answers(3);
    c.end();
    assert.deepEqual(
      [...text.matchAll(/one (\/[a-z])/g)].map((m) => m[1]),
      ['/a', '/b', '/c'],
    );
    assert.equal(one.connections - was.connections, 1, 'one service connection per client connection');
    const first = one.requests[was.requests];
    assert.equal(first?.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(first?.headers['x-forwarded-host'], HOST);
    assert.equal(first?.headers['x-forwarded-proto'], 'https');
    assert.equal(first?.headers.host, HOST);
  });

  it("passes a header's non-ASCII bytes to the service unchanged, and an HTTP/1.0 request", async () => {
    publish({});
    const c = client(port, ca);
    c.send(get('/utf8', 'X-Name: caf\u00c3\u00a9\r\n'));
    await c.answers(1);
    c.send(`GET /old HTTP/1.0\r\nHost: ${HOST}\r\n\r\n`);
    assert.match(await c.answers(2), /one \/old/);
    c.end();
    // The service decodes header bytes as latin1: the two UTF-8 bytes of é, as sent.
    assert.equal(one.requests.find((r) => r.url === '/utf8')?.headers['x-name'], 'caf\u00c3\u00a9');
  });

  it('passes a chunked body with trailers to the service as it was sent', async () => {
    publish({});
    const c = client(port, ca);
    c.send(
      `POST /up HTTP/1.1\r\nHost: ${HOST}\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n${get('/after')}`,
    );
    const text = await c.answers(2);
    c.end();
    assert.match(text, /one \/up[\s\S]*one \/after/);
    const up = one.requests.find((r) => r.url === '/up');
    assert.equal(up?.body, 'hello world');
    assert.deepEqual(up?.trailers, { 'x-sum': '42' });
  });

  const smuggling: [string, string][] = [
    ['Content-Length with Transfer-Encoding', 'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n'],
    ['differing Content-Lengths', 'Content-Length: 4\r\nContent-Length: 40\r\n'],
    ['obs-fold', 'X-A: a\r\n b\r\n'],
  ];
  for (const [what, headers] of smuggling) {
    it(`answers ${what} with 400 and the service sees nothing`, async () => {
      publish({});
      const was = one.requests.length;
      const c = client(port, ca);
      c.send(`POST /smuggle HTTP/1.1\r\nHost: ${HOST}\r\n${headers}\r\n0\r\n\r\n${get('/hidden')}`);
      await c.closed;
      assert.match(c.received(), /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.equal(one.requests.length, was);
    });
  }

  it('answers a head over 16 KiB with 431', async () => {
    publish({});
    const c = client(port, ca);
    c.send(get('/', `X-Big: ${'b'.repeat(20_000)}\r\n`));
    await c.closed;
    assert.match(c.received(), /^HTTP\/1\.1 431 /);
  });

  it('closes a kept-alive connection whose route moved to another port; a new connection follows the route', async () => {
    publish({});
    const c = client(port, ca);
    c.send(get('/first'));
    await c.answers(1);
    publish({ port: two.port });
    const seenByOne = one.requests.length;
    c.send(get('/moved'));
    await c.closed;
    assert.equal(c.received().match(/^HTTP\/1\.1 /gm)?.length, 1, 'no answer to the request after the move');
    assert.equal(one.requests.length, seenByOne, 'the old port never got the request');
    const d = client(port, ca);
    d.send(get('/moved'));
    assert.match(await d.answers(1), /two \/moved/);
    d.end();
  });

  // Without a spare the service sees no connection before a head: the timeout fails these tests instead of a hang.
  const spareTest = { timeout: 10_000 };
  /** Resolves when `seen`'s service accepts its next TCP connection, with the service's side of it. */
  const accepted = (seen: Seen) =>
    new Promise<Socket>((resolve) => seen.server.once('connection', (s: Socket) => resolve(s)));

  it('opens the service connection at the TLS handshake, and the first request goes over it', {
    timeout: 10_000,
  }, async () => {
    publish({});
    const was = one.connections;
    const opened = accepted(one);
    const c = client(port, ca);
    // Nothing is sent yet: the connection comes from the handshake's name (SNI) alone.
    await opened;
    c.send(get('/spare'));
    assert.match(await c.answers(1), /one \/spare/);
    c.end();
    assert.equal(one.connections - was, 1, 'the first request used the spare connection');
  });

  it(
    'sends a first head to the port its route names when the route moved after the handshake',
    spareTest,
    async () => {
      publish({});
      const opened = accepted(one);
      const c = client(port, ca);
      await opened;
      publish({ port: two.port });
      c.send(get('/after-move'));
      assert.match(await c.answers(1), /two \/after-move/);
      c.end();
      assert.ok(!one.requests.some((r) => r.url === '/after-move'), "the spare's port never got the request");
    },
  );

  it(
    'connects anew when the service closed the spare connection before the first head',
    spareTest,
    async () => {
      publish({});
      const opened = accepted(one);
      const c = client(port, ca);
      const spare = await opened;
      // The proxy reads the close before the head: the service's FIN is in before the client writes.
      await new Promise((resolve) => spare.destroy().once('close', resolve));
      c.send(get('/after-close'));
      assert.match(await c.answers(1), /one \/after-close/);
      c.end();
    },
  );

  it("answers a stopped service with poly's page and a refused port with 502", async () => {
    publish({ state: 'stopped' });
    const c = client(port, ca);
    c.send(get('/'));
    await c.closed;
    assert.match(c.received(), /^HTTP\/1\.1 503 [\s\S]*api \(t\) is not running/);
    publish({ port: await freePort() });
    const d = client(port, ca);
    d.send(get('/'));
    await d.closed;
    assert.match(d.received(), /^HTTP\/1\.1 502 [\s\S]*does not answer on port/);
  });
});
