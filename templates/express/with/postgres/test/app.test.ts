// Against the real database in DATABASE_URL: `poly run <service>:test` starts it first.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import { createApp } from '../src/app.js';
import { createPool, migrate } from '../src/db.js';

let pool: pg.Pool;
let server: Server;
let base: string;

before(async () => {
  pool = createPool();
  await migrate(pool);
  server = createApp(pool).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.close();
  await pool.end();
});

test('health is ok', async () => {
  const response = await fetch(`${base}/health`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: 'ok' });
});

test('hello names the service', async () => {
  const response = await fetch(`${base}/api/hello`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    service: 'hello-express',
    message: 'Hello from hello-express!',
  });
});

test('an item written is read back', async () => {
  const name = `item-${randomUUID()}`;
  const created = await fetch(`${base}/api/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  assert.equal(created.status, 201);
  const item = (await created.json()) as { id: number; name: string };
  assert.equal(item.name, name);
  const read = await fetch(`${base}/api/items/${item.id}`);
  assert.equal(read.status, 200);
  assert.deepEqual(await read.json(), { id: item.id, name });
});

test('a missing item is not found', async () => {
  const response = await fetch(`${base}/api/items/0`);
  assert.equal(response.status, 404);
});
