import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceSpec } from '../../src/core/manifest/types.js';

/**
 * A tiny HTTP service used by the container tests, written into a project
 * folder: /health, /whoami (which node runs it and a variable), /hello, and
 * /call/<NAME> which fetches <NAME>_URL + "/hello" (how services call each other).
 */
export const ECHO_SERVER = `
import http from 'node:http';
const port = Number(process.env.PORT);
http.createServer(async (req, res) => {
  if (req.url === '/health') return res.end('ok');
  if (req.url === '/whoami') {
    return res.end(JSON.stringify({ execPath: process.execPath, version: process.version, greeting: process.env.GREETING ?? null }));
  }
  if (req.url === '/hello') return res.end('hello from ' + process.env.SIDE);
  if (req.url.startsWith('/call/')) {
    const name = req.url.slice('/call/'.length);
    try {
      const r = await fetch(process.env[name + '_URL'] + '/hello');
      return res.end(name + ' said: ' + (await r.text()));
    } catch (err) {
      res.statusCode = 502;
      return res.end(String(err.cause ?? err));
    }
  }
  res.statusCode = 404;
  res.end();
}).listen(port, process.env.LISTEN_HOST ?? '0.0.0.0', () => console.log('listening on ' + port));
`;

export function writeEchoServer(serviceDir: string): void {
  mkdirSync(serviceDir, { recursive: true });
  writeFileSync(join(serviceDir, 'server.mjs'), ECHO_SERVER);
}

export function serviceSpec(name: string, path: string, overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name,
    path,
    relativePath: name,
    runtime: 'node',
    run: 'node server.mjs',
    port: 'auto',
    health: { kind: 'http', path: '/health' },
    healthTiming: { interval: 200, timeout: 1000, retries: 3 },
    dependsOn: [],
    env: {},
    restart: 'on-failure',
    stopTimeout: 2000,
    mode: 'container',
    ...overrides,
  };
}
