import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { get } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';

interface RawResult {
  status?: number;
  headers?: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Why the body did not complete, if it did not. */
  error?: string;
}

/** A GET that reports how far it got instead of throwing. Gives up after timeoutMs. */
function rawGet(url: string, timeoutMs = 5000, headers: Record<string, string> = {}): Promise<RawResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const result: RawResult = { body: Buffer.alloc(0) };
    const done = (error?: string) => {
      result.body = Buffer.concat(chunks);
      if (error) result.error = error;
      resolve(result);
    };
    const req = get(url, { headers }, (res) => {
      result.status = res.statusCode;
      result.headers = res.headers;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(res.complete ? undefined : 'incomplete'));
      res.on('error', (e) => done(e.message));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('client timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
// Incompressible enough that the gzip is about a megabyte.
const payload = Buffer.from(Array.from({ length: 400_000 }, (_, i) => ((i * 2654435761) >>> 13) & 0xff));
const archive = gzipSync(Buffer.concat([payload, payload, payload]), { level: 1 });

describe('mirror: fault injection', () => {
  let mirror: Mirror;
  let url: string;
  before(async () => {
    mirror = await startMirror({ runtimes: [], files: { '/blob.tar.gz': archive, '/other.txt': 'hello\n' } });
    url = `${mirror.url}/blob.tar.gz`;
  });
  afterEach(() => mirror.clearFaults());
  after(() => mirror?.close());

  it('serves the file intact without faults, and HEAD and byte ranges', async () => {
    const plain = await rawGet(url);
    assert.equal(plain.status, 200);
    assert.equal(sha(plain.body), sha(archive));
    const ranged = await rawGet(url, 5000, { range: 'bytes=10-19' });
    assert.equal(ranged.status, 206);
    assert.deepEqual(ranged.body, archive.subarray(10, 20));
    assert.equal(ranged.headers?.['content-range'], `bytes 10-19/${archive.length}`);
  });

  it('corrupt: same length, different checksum, and the gzip still unpacks', async () => {
    mirror.inject({ path: '/blob.tar.gz', kind: 'corrupt' });
    const bad = await rawGet(url);
    assert.equal(bad.status, 200);
    assert.equal(bad.body.length, archive.length);
    assert.notEqual(sha(bad.body), sha(archive));
    assert.deepEqual(gunzipSync(bad.body), gunzipSync(archive));
  });

  it('corrupt with a body: serves exactly those bytes', async () => {
    mirror.inject({ path: '/blob.tar.gz', kind: 'corrupt', body: Buffer.from('not an archive') });
    assert.equal((await rawGet(url)).body.toString(), 'not an archive');
  });

  it('truncate: announces the full length, sends half, closes the socket', async () => {
    mirror.inject({ path: '/blob.tar.gz', kind: 'truncate' });
    const cut = await rawGet(url);
    assert.equal(cut.status, 200);
    assert.equal(Number(cut.headers?.['content-length']), archive.length);
    assert.ok(cut.error, 'the client sees an incomplete body');
    assert.ok(cut.body.length <= Math.floor(archive.length / 2), `received ${cut.body.length}`);
    assert.deepEqual(cut.body, archive.subarray(0, cut.body.length));
  });

  it('status: 404, and 500 twice then success', async () => {
    mirror.inject({ path: '/other.txt', kind: 'status', status: 404 });
    assert.equal((await rawGet(`${mirror.url}/other.txt`)).status, 404);
    const flaky = mirror.inject({ path: '/blob.tar.gz', kind: 'status', status: 500, times: 2 });
    assert.equal((await rawGet(url)).status, 500);
    assert.equal((await rawGet(url)).status, 500);
    const third = await rawGet(url);
    assert.equal(third.status, 200);
    assert.equal(sha(third.body), sha(archive));
    assert.equal(flaky.hits, 2);
  });

  it('stall: headers and the first bytes, then nothing until the client gives up', async () => {
    mirror.inject({ path: '/blob.tar.gz', kind: 'stall', afterBytes: 1000 });
    const stalled = await rawGet(url, 600);
    assert.equal(stalled.status, 200);
    assert.equal(stalled.body.length, 1000);
    assert.equal(stalled.error, 'client timeout');
  });

  it('slow: throttles the body to the given rate', async () => {
    mirror.inject({ path: '/other.txt', kind: 'slow', bytesPerSecond: 20 });
    const started = Date.now();
    const slow = await rawGet(`${mirror.url}/other.txt`);
    assert.equal(slow.body.toString(), 'hello\n');
    // 6 bytes at 2 bytes per 100 ms tick: three ticks at least.
    assert.ok(Date.now() - started >= 250, `took ${Date.now() - started} ms`);
  });

  it('reset: the connection is reset before any response', async () => {
    mirror.inject({ kind: 'reset', times: 1 });
    const reset = await rawGet(url);
    assert.equal(reset.status, undefined);
    assert.equal(reset.error, 'ECONNRESET');
    assert.equal((await rawGet(url)).status, 200, 'times: 1 applies once');
  });

  it('matches faults by path, logs them, and removes them', async () => {
    const rule = mirror.inject({ path: /other\.txt$/, kind: 'status', status: 503 });
    assert.equal((await rawGet(url)).status, 200);
    assert.equal((await rawGet(`${mirror.url}/other.txt`)).status, 503);
    rule.remove();
    assert.equal((await rawGet(`${mirror.url}/other.txt`)).status, 200);
    const logged = mirror.requests.filter((r) => r.path === '/other.txt');
    assert.deepEqual(
      logged.slice(-2).map((r) => [r.status, r.fault]),
      [
        [503, 'status'],
        [200, undefined],
      ],
    );
  });
});
