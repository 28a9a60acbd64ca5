import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { databasePeerEnv, redisPeerEnv } from '../../../src/core/databases/peer-env.js';
import { errorCode, postgresReady, startupMessage } from '../../../src/core/databases/postgres-wire.js';
import { redisReady } from '../../../src/core/databases/valkey-wire.js';
import { type Lockfile, readLockfile, serializeLockfile } from '../../../src/core/store/lockfile.js';

function errorResponse(code: string): Buffer {
  const body = Buffer.from(`SFATAL\0C${code}\0Mthe database system is starting up\0\0`);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

/** A TCP server that answers each connection with the next canned reply (a stand-in: no real server says only this). */
async function cannedServer(replies: Buffer[]): Promise<{ port: number; close(): void; startups: Buffer[] }> {
  const startups: Buffer[] = [];
  const server = createServer((socket: Socket) => {
    socket.once('data', (d: Buffer) => {
      startups.push(d);
      socket.end(replies.shift() ?? Buffer.alloc(0));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as { port: number };
  return { port: address.port, close: () => server.close(), startups };
}

describe('PostgreSQL readiness handshake', () => {
  it('writes a protocol 3.0 StartupMessage', () => {
    const m = startupMessage('dev', 'shop');
    assert.equal(m.readInt32BE(0), m.length);
    assert.equal(m.readInt32BE(4), 196608);
    assert.equal(m.subarray(8).toString(), 'user\0dev\0database\0shop\0\0');
  });

  it('is not ready while the server says cannot_connect_now, ready at an authentication request', async () => {
    const auth = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 10]);
    const server = await cannedServer([errorResponse('57P03'), auth, errorResponse('53300')]);
    try {
      assert.equal(await postgresReady(server.port, 'dev', 'postgres', 1000), false);
      assert.equal(await postgresReady(server.port, 'dev', 'postgres', 1000), true);
      // Too many connections: up, as pg_isready says.
      assert.equal(await postgresReady(server.port, 'dev', 'postgres', 1000), true);
      assert.equal(server.startups.length, 3);
      assert.equal(errorCode(errorResponse('57P03')), '57P03');
    } finally {
      server.close();
    }
  });

  it('is not ready when nothing listens', async () => {
    const server = await cannedServer([]);
    server.close();
    assert.equal(await postgresReady(server.port, 'dev', 'postgres', 500), false);
  });
});

describe('what a peer sees for a database service', () => {
  it('gives the URL and its parts, with the login escaped', () => {
    assert.deepEqual(
      databasePeerEnv(
        'my-db',
        'postgres',
        { user: 'app', password: 'p@ss/w:rd', database: 'shop' },
        '127.0.0.1',
        5433,
      ),
      {
        MY_DB_URL: 'postgres://app:p%40ss%2Fw%3Ard@127.0.0.1:5433/shop',
        MY_DB_HOST: '127.0.0.1',
        MY_DB_PORT: '5433',
        MY_DB_ADDR: '127.0.0.1:5433',
        MY_DB_USER: 'app',
        MY_DB_PASSWORD: 'p@ss/w:rd',
        MY_DB_DATABASE: 'shop',
      },
    );
  });
});

describe('poly.lock [packages]', () => {
  it('round-trips beside the runtimes, in a fixed order', () => {
    const lock: Lockfile = {
      runtimes: {
        go: {
          spec: '1.23',
          version: '1.23.4',
          source: 'official',
          platforms: { 'linux-x64': { url: 'https://go/x', checksum: 'sha256:aa' } },
        },
      },
      packages: {
        postgres: {
          spec: '16',
          version: '16.4.0',
          source: 'zonky',
          platforms: {
            'darwin-arm64': { url: 'io/z/b.jar', checksum: 'sha1:bb' },
            'linux-x64': { url: 'io/z/a.jar', checksum: 'sha1:aa' },
          },
        },
      },
    };
    const text = serializeLockfile(lock);
    assert.match(
      text,
      /\[runtimes\.go\][\s\S]*\[packages\.postgres\]\nspec = "16"[\s\S]*linux-x64[\s\S]*darwin-arm64/,
    );
    const file = join(mkdtempSync(join(tmpdir(), 'poly-lock-')), 'poly.lock');
    writeFileSync(file, text);
    assert.deepEqual(readLockfile(file), lock);
  });
});

describe('Redis readiness (PING)', () => {
  it('is ready at +PONG or -NOAUTH, not while -LOADING', async () => {
    const server = await cannedServer([
      Buffer.from('-LOADING Redis is loading the dataset in memory\r\n'),
      Buffer.from('+PONG\r\n'),
      Buffer.from('-NOAUTH Authentication required.\r\n'),
    ]);
    try {
      assert.equal(await redisReady(server.port, 1000), false);
      assert.equal(await redisReady(server.port, 1000), true);
      assert.equal(await redisReady(server.port, 1000), true);
      assert.deepEqual(server.startups.map(String), ['PING\r\n', 'PING\r\n', 'PING\r\n']);
    } finally {
      server.close();
    }
  });

  it('gives redis:// with the password only when there is one', () => {
    assert.deepEqual(redisPeerEnv('cache', undefined, 'cache', 6379), {
      CACHE_URL: 'redis://cache:6379',
      CACHE_HOST: 'cache',
      CACHE_PORT: '6379',
      CACHE_ADDR: 'cache:6379',
    });
    assert.equal(redisPeerEnv('cache', 'p w', '127.0.0.1', 1).CACHE_URL, 'redis://:p%20w@127.0.0.1:1');
  });
});
