import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestFramer } from '../../../src/core/proxy/h1-framing.js';
import { type RequestHead, upstreamHead } from '../../../src/core/proxy/h1-head.js';

type Event =
  | { head: Pick<RequestHead, 'method' | 'target' | 'host' | 'body' | 'upgrade'> }
  | { body: string }
  | 'end'
  | { error: number; inBody: boolean };

/** Feeds `input` in the given pieces and returns the events, consecutive body bytes joined. */
function frame(pieces: string[]): Event[] {
  const events: Event[] = [];
  const framer = new RequestFramer({
    head: ({ method, target, host, body, upgrade }) =>
      events.push({ head: { method, target, host, body, upgrade } }),
    body: (bytes) => {
      const last = events.at(-1);
      if (last && typeof last === 'object' && 'body' in last) last.body += bytes.toString('latin1');
      else events.push({ body: bytes.toString('latin1') });
    },
    end: () => events.push('end'),
    error: ({ status, inBody }) => events.push({ error: status, inBody }),
  });
  for (const piece of pieces) framer.push(Buffer.from(piece, 'latin1'));
  return events;
}

/** The events for `input` whole, checked to be the same for every split into two pieces and byte by byte. */
function frameEverySplit(input: string): Event[] {
  const whole = frame([input]);
  for (let at = 1; at < input.length; at++)
    assert.deepEqual(frame([input.slice(0, at), input.slice(at)]), whole, `split at ${at}`);
  assert.deepEqual(frame([...input]), whole, 'byte by byte');
  return whole;
}

const get = (path: string, extra = '') =>
  `GET ${path} HTTP/1.1\r\nHost: api.shop.localhost:8443\r\n${extra}\r\n`;
const head = (
  method: string,
  target: string,
  body: RequestHead['body'] = { kind: 'none' },
  upgrade = false,
) => ({
  head: { method, target, host: 'api.shop.localhost:8443', body, upgrade },
});

describe('HTTP/1.1 request framing', () => {
  it('finds a head split anywhere across chunks', () => {
    assert.deepEqual(frameEverySplit(get('/a?b=1', 'Accept: */*\r\n')), [head('GET', '/a?b=1'), 'end']);
  });

  it('separates pipelined requests, with a Content-Length body between them', () => {
    const post = `POST /items HTTP/1.1\r\nHost: api.shop.localhost:8443\r\nContent-Length: 12\r\n\r\nhello\r\nGET /`;
    assert.deepEqual(frameEverySplit(`${get('/one')}${post}${get('/two')}`), [
      head('GET', '/one'),
      'end',
      head('POST', '/items', { kind: 'length', length: 12 }),
      { body: 'hello\r\nGET /' },
      'end',
      head('GET', '/two'),
      'end',
    ]);
  });

  it('passes a chunked body through verbatim, extensions and trailers included, and finds its end', () => {
    const body = '5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\nExpires: never\r\nX-Sum: 1\r\n\r\n';
    const input = `POST /up HTTP/1.1\r\nHost: api.shop.localhost:8443\r\nTransfer-Encoding: chunked\r\n\r\n${body}${get('/next')}`;
    assert.deepEqual(frameEverySplit(input), [
      head('POST', '/up', { kind: 'chunked' }),
      { body },
      'end',
      head('GET', '/next'),
      'end',
    ]);
  });

  it('ignores empty lines before a request line', () => {
    assert.deepEqual(frameEverySplit(`\r\n${get('/')}`), [head('GET', '/'), 'end']);
  });

  it('after an Upgrade head hands on every byte as it is (a WebSocket tunnel)', () => {
    const upgrade = get('/ws', 'Connection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n');
    assert.deepEqual(frameEverySplit(`${upgrade}\x81\x05hello${get('/not-parsed')}`), [
      head('GET', '/ws', { kind: 'none' }, true),
      { body: `\x81\x05hello${get('/not-parsed')}` },
    ]);
  });

  it('takes an identical repeated Content-Length as one, and hands the head on with it once', () => {
    const input = `POST / HTTP/1.1\r\nHost: a.localhost\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok`;
    const heads: RequestHead[] = [];
    new RequestFramer({
      head: (h) => heads.push(h),
      body: () => {},
      end: () => {},
      error: (e) => assert.fail(e.reason),
    }).push(Buffer.from(input));
    assert.deepEqual(heads[0]?.headers, ['Host', 'a.localhost', 'Content-Length', '2']);
  });

  const refused: [string, string, number][] = [
    ['Content-Length and Transfer-Encoding', 'Content-Length: 3\r\nTransfer-Encoding: chunked\r\n', 400],
    ['Transfer-Encoding before Content-Length', 'Transfer-Encoding: chunked\r\nContent-Length: 3\r\n', 400],
    ['differing Content-Lengths', 'Content-Length: 3\r\nContent-Length: 4\r\n', 400],
    ['a Content-Length list', 'Content-Length: 3, 3\r\n', 400],
    ['a signed Content-Length', 'Content-Length: +3\r\n', 400],
    ['a coding other than chunked', 'Transfer-Encoding: gzip, chunked\r\n', 400],
    ['chunked twice', 'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n', 400],
    ['obs-fold', 'X-A: one\r\n two\r\n', 400],
    ['whitespace before the colon', 'Content-Length : 3\r\n', 400],
    ['a bare LF inside a header line', 'X-A: one\nContent-Length: 3\r\n', 400],
    ['a bare CR inside a header value', 'X-A: one\rtwo\r\n', 400],
    ['a second Host', 'Host: other.localhost\r\n', 400],
    ['a head over 16 KiB', `X-Big: ${'a'.repeat(17 * 1024)}\r\n`, 431],
  ];
  for (const [what, extra, status] of refused) {
    it(`refuses ${what} with ${status}, forwarding nothing`, () => {
      assert.deepEqual(frameEverySplit(`${get('/', extra)}GET / HTTP/1.1\r\n`), [
        { error: status, inBody: false },
      ]);
    });
  }

  it('refuses a head that never ends once it passes 16 KiB (431), before its end arrives', () => {
    assert.deepEqual(frame([get('/').slice(0, 20), 'a'.repeat(9000), 'a'.repeat(9000)]), [
      { error: 431, inBody: false },
    ]);
  });

  const badLines: [string, string][] = [
    ['no Host in HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n'],
    ['an absolute URL as target', 'GET http://other:80/ HTTP/1.1\r\nHost: a.localhost\r\n\r\n'],
    ['CONNECT', 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: a.localhost\r\n\r\n'],
    ['HTTP/2.0 in a text head', 'GET / HTTP/2.0\r\nHost: a.localhost\r\n\r\n'],
    ['two spaces in the request line', 'GET  / HTTP/1.1\r\nHost: a.localhost\r\n\r\n'],
  ];
  for (const [what, input] of badLines) {
    it(`refuses ${what} with 400`, () => {
      assert.deepEqual(frame([input]), [{ error: 400, inBody: false }]);
    });
  }

  const badChunks: [string, string][] = [
    ['a chunk size that is not hex', 'zz\r\n'],
    ['a chunk size with a space before its extension', '5 ;x\r\nhello\r\n0\r\n\r\n'],
    ['chunk data longer than its size', '3\r\nhello\r\n0\r\n\r\n'],
    ['a bare LF after a chunk size', '5\nhello\r\n0\r\n\r\n'],
    ['a folded trailer', '0\r\nX-A: 1\r\n folded\r\n\r\n'],
  ];
  for (const [what, body] of badChunks) {
    it(`drops the connection on ${what} (400 in the body)`, () => {
      const input = `POST / HTTP/1.1\r\nHost: api.shop.localhost:8443\r\nTransfer-Encoding: chunked\r\n\r\n${body}`;
      // Split anywhere: the bytes before the fault may have gone on, but the request never ends.
      for (let at = 1; at < input.length; at++) {
        const events = frame([input.slice(0, at), input.slice(at)]);
        assert.deepEqual(events.at(-1), { error: 400, inBody: true }, `split at ${at}`);
        assert.equal(events.filter((e) => e === 'end').length, 0, `split at ${at}`);
      }
    });
  }
});

describe('the head the service gets', () => {
  it('keeps the client headers in order, drops its X-Forwarded-* and Forwarded, and sets ours', () => {
    const heads: RequestHead[] = [];
    new RequestFramer({
      head: (h) => heads.push(h),
      body: () => {},
      end: () => {},
      error: (e) => assert.fail(e.reason),
    }).push(
      Buffer.from(
        get(
          '/p',
          'X-Forwarded-For: 6.6.6.6\r\nAccept: */*\r\nforwarded: for=6.6.6.6\r\nX-Forwarded-Host: evil\r\n',
        ),
      ),
    );
    assert.equal(
      upstreamHead(heads[0] as RequestHead, '127.0.0.1', 'https'),
      'GET /p HTTP/1.1\r\nHost: api.shop.localhost:8443\r\nAccept: */*\r\n' +
        'X-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: api.shop.localhost:8443\r\n\r\n',
    );
  });
});
