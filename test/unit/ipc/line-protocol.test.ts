import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LineTimeoutError, lineRequest, serveLineProtocol } from '../../../src/core/ipc/line-protocol.js';

describe('line protocol (the supervisor and proxy control sockets)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-line-'));
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const serve = async (name: string, handle: Parameters<typeof serveLineProtocol>[1]) => {
    const path = join(dir, name);
    servers.push(await serveLineProtocol(path, handle));
    return path;
  };

  it('answers the first line of a connection, the answer ending it', async () => {
    const seen: string[] = [];
    const path = await serve('echo.sock', (line) => {
      seen.push(line);
      return `got ${line}`;
    });
    assert.equal(await lineRequest(path, '{"cmd":"ps"}', 5000), 'got {"cmd":"ps"}\n');
    assert.deepEqual(seen, ['{"cmd":"ps"}']);
  });

  it('holds the connection open while an async handler works (the supervisor`s wait)', async () => {
    let release: (answer: string) => void = () => {};
    let started: () => void = () => {};
    const handling = new Promise<void>((resolve) => {
      started = resolve;
    });
    const path = await serve('wait.sock', () => {
      started();
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    });
    let answered = false;
    const answer = lineRequest(path, 'wait', 5000).then((text) => {
      answered = true;
      return text;
    });
    await handling;
    // The connection stays open, unanswered, until the handler settles.
    assert.equal(answered, false);
    release('settled');
    assert.equal(await answer, 'settled\n');
  });

  it('replaces a stale socket file when it starts listening', async () => {
    const path = join(dir, 'stale.sock');
    writeFileSync(path, 'left by a killed process');
    servers.push(await serveLineProtocol(path, () => 'fresh'));
    assert.equal(await lineRequest(path, 'x', 5000), 'fresh\n');
  });

  it('resolves undefined when nobody listens: no socket, or a file that is none', async () => {
    assert.equal(await lineRequest(join(dir, 'none.sock'), 'x', 5000), undefined);
    const file = join(dir, 'not-a-socket');
    writeFileSync(file, '');
    assert.equal(await lineRequest(file, 'x', 5000), undefined);
  });

  it('a handler that throws ends the connection with an empty answer', async () => {
    const path = await serve('throws.sock', () => {
      throw new Error('boom');
    });
    assert.equal(await lineRequest(path, 'x', 5000), '');
  });

  it('rejects with LineTimeoutError when no answer comes in time', async () => {
    const path = await serve('silent.sock', () => new Promise<string>(() => {}));
    await assert.rejects(lineRequest(path, 'x', 100), LineTimeoutError);
  });
});
