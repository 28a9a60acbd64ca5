import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { postmasterBusy, postmasterPidFile } from '../../../src/core/databases/postmaster-status.js';
import { healthProbe, healthWakeFile } from '../../../src/core/supervisor/health.js';
import { fileChangeWake } from '../../../src/core/supervisor/probe-wake.js';

/** postmaster.pid as PostgreSQL 16 writes it (pid, data folder, start, port, socket dir, address, shmem, status). */
function pidFile(dataDir: string, status?: string): string {
  const lines = ['4242', dataDir, '1796150000', '5432', '', '127.0.0.1', '  5432001    32768'];
  return `${[...lines, ...(status ? [status.padEnd(8)] : [])].join('\n')}\n`;
}

/** Answers every StartupMessage with an authentication request, as a server accepting connections does. */
async function acceptingServer(): Promise<{ port: number; connections(): number; close(): void }> {
  let connections = 0;
  const server = createServer((socket: Socket) => {
    connections++;
    socket.once('data', () => socket.end(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 10])));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    connections: () => connections,
    close: () => server.close(),
  };
}

describe("PostgreSQL's own readiness signal (postmaster.pid, what pg_ctl start -w waits for)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-postmaster-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is busy while the status line says starting or stopping, and not otherwise', () => {
    const data = join(dir, 'status');
    mkdirSync(data);
    assert.equal(postmasterBusy(data), false, 'no file: the handshake decides');
    writeFileSync(postmasterPidFile(data), pidFile(data));
    assert.equal(postmasterBusy(data), false, 'no status line yet: the handshake decides');
    writeFileSync(postmasterPidFile(data), pidFile(data, 'starting'));
    assert.equal(postmasterBusy(data), true);
    writeFileSync(postmasterPidFile(data), pidFile(data, 'ready'));
    assert.equal(postmasterBusy(data), false);
    writeFileSync(postmasterPidFile(data), pidFile(data, 'stopping'));
    assert.equal(postmasterBusy(data), true);
  });

  it('the postgres check asks the server only once its data folder says it is no longer starting', async () => {
    const data = mkdtempSync(join(dir, 'probe-'));
    const server = await acceptingServer();
    try {
      const check = { kind: 'postgres', user: 'dev', dataDir: data } as const;
      const probe = healthProbe({
        check,
        port: server.port,
        timing: { interval: 1000, timeout: 1000, retries: 3 },
        env: {},
        cwd: dir,
      });
      assert.ok(probe);
      writeFileSync(postmasterPidFile(data), pidFile(data, 'starting'));
      assert.equal(await probe(), false);
      assert.equal(server.connections(), 0, 'no connection while starting');
      writeFileSync(postmasterPidFile(data), pidFile(data, 'ready'));
      assert.equal(await probe(), true);
      assert.equal(server.connections(), 1, 'ready is confirmed by the real handshake');
      assert.equal(healthWakeFile(check), postmasterPidFile(data));
      assert.equal(
        healthWakeFile({ kind: 'postgres', user: 'dev' }),
        undefined,
        'a container has no file here',
      );
    } finally {
      server.close();
    }
  });

  it('a health wait sleeping for an hour wakes when the watched file is written', {
    timeout: 10_000,
  }, async () => {
    const data = mkdtempSync(join(dir, 'wake-'));
    const wake = fileChangeWake(postmasterPidFile(data));
    assert.ok(wake, 'the folder can be watched');
    const run = new AbortController();
    try {
      const slept = wake.sleep(3_600_000, run.signal);
      // Written once the watch is set up (it is, before fileChangeWake returns).
      writeFileSync(postmasterPidFile(data), pidFile(data, 'ready'));
      await slept;
    } finally {
      wake.close();
      run.abort();
    }
  });
});
