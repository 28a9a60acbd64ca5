import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempPoly, writeManifest } from '../../helpers/install-fixtures.js';
import { nodeRoutes, sameArchive } from '../../helpers/official-layouts.js';
import { POLY_BIN } from '../../helpers/poly-cli.js';
import { tarGz } from '../../helpers/tar-writer.js';

const V = '22.11.0';
const TOP = `node-v${V}-linux-x64`;
/**
 * The first bytes of the gzip stream: enough for the unpacker to meet the
 * hostile first entry, and small enough to arrive as one chunk, so the
 * refusal comes with the last chunk the mirror sends. (A client that is sent
 * more chunks after the refusal gets out through the next one: that would
 * not show whether the refusal itself ends the download.)
 */
const PREFIX_BYTES = 1024;
/** Only how long the old code is given before the mirror lets it finish: the test asserts the order of events. */
const BACKSTOP_MS = 20_000;

type MirrorEvent = 'prefix sent' | 'client closed' | 'mirror finished';

/**
 * A node mirror whose archive is hostile in its first entry and then stalls:
 * it sends PREFIX_BYTES of the body and holds the rest back, so a client
 * that keeps reading after the refusal waits for bytes that do not come
 * (before #17 item 11, until the HTTP idle timer). It records when the
 * client closed the connection and, only at the backstop, finishes the body.
 */
async function stallingMirror(archive: Buffer, events: MirrorEvent[]) {
  const routes = nodeRoutes([{ version: V, archives: sameArchive(archive) }]);
  const held: ServerResponse[] = [];
  const timers: NodeJS.Timeout[] = [];
  let onClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    onClosed = resolve;
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/node/, '');
    const body = routes.get(path);
    if (body === undefined) return void res.writeHead(404).end();
    if (!path.endsWith('.tar.gz')) return void res.writeHead(200).end(body);
    const bytes = Buffer.from(body);
    res.writeHead(200, { 'content-length': String(bytes.length) });
    res.write(bytes.subarray(0, PREFIX_BYTES), () => events.push('prefix sent'));
    held.push(res);
    res.on('close', () => {
      if (!res.writableFinished) events.push('client closed');
      onClosed();
    });
    timers.push(
      setTimeout(() => {
        if (res.destroyed) return;
        events.push('mirror finished');
        res.end(bytes.subarray(PREFIX_BYTES));
      }, BACKSTOP_MS),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/node`,
    closed,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const res of held) res.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('a refused archive ends the download (#17 item 11)', () => {
  it('poly exits on the refusal while the mirror still holds the rest of the body (POLY_SYSTEM_TAR=0)', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'poly-outside-'));
    const archive = tarGz([
      { type: 'file', path: `${outside}/pwned.txt`, content: 'escaped\n' },
      // Random bytes do not compress: the body is far longer than the prefix the mirror sends.
      { type: 'file', path: `${TOP}/lib/blob`, content: randomBytes(4 * 1024 * 1024) },
    ]);
    assert.ok(archive.length > 1024 * PREFIX_BYTES);
    const events: Array<MirrorEvent | 'poly exited'> = [];
    const mirror = await stallingMirror(archive, events as MirrorEvent[]);
    // The idle timer far beyond the backstop: only the refusal itself can end the download in time.
    const t = tempPoly({
      POLY_NODE_MIRROR: mirror.url,
      POLY_HTTP_TIMEOUT_MS: '600000',
      POLY_SYSTEM_TAR: '0',
    });
    try {
      writeManifest(t.project, `node = "${V}"`);
      const child = spawn(process.execPath, [POLY_BIN, 'install'], {
        cwd: t.project,
        env: { ...t.env, CI: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      events.push('poly exited');
      await mirror.closed;

      assert.equal(code, 1, stderr);
      assert.match(stderr, /^error: refusing to unpack .*: absolute path ".*pwned\.txt"$/m);
      // The mirror never finished the body: poly let go of the download when it refused the entry.
      assert.equal(events.includes('mirror finished'), false, `events: ${events.join(', ')}`);
      assert.deepEqual(events.filter((e) => e !== 'poly exited').slice(0, 2), [
        'prefix sent',
        'client closed',
      ]);
      assert.ok(!existsSync(join(outside, 'pwned.txt')), 'nothing written outside');
      assert.ok(!existsSync(join(t.home, 'installs', 'node', V)), 'nothing installed');
      assert.deepEqual(existsSync(join(t.home, 'tmp')) ? readdirSync(join(t.home, 'tmp')) : [], []);
    } finally {
      await mirror.close();
      t.cleanup();
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
