import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { promisify } from 'node:util';
import { freePort } from './http.js';
import { POLY_BIN } from './poly-cli.js';

const execFileAsync = promisify(execFile);

/**
 * A tiny service for the proxy tests (plain node, no packages): echoes the
 * request and its environment as JSON, streams SSE (the second event only
 * after /release, so a buffering proxy cannot pass), and echoes WebSocket
 * text frames. It is started by `poly up` like any native service.
 */
export const PROXY_TEST_SERVICE = String.raw`
const http = require('node:http');
const crypto = require('node:crypto');
let release = () => {};
const server = http.createServer((req, res) => {
  if (req.url === '/sse') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('data: first\n\n');
    release = () => { res.write('data: second\n\n'); res.end(); };
    return;
  }
  if (req.url === '/release') { release(); res.end('released'); return; }
  if ((req.headers.accept || '').includes('text/html')) {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>' + process.env.SERVICE_NAME + '</title><body style="font:32px sans-serif;background:#e8f4ea">' +
      '<h1 id="ok">' + process.env.SERVICE_NAME + ' of shop, over ' + req.headers['x-forwarded-proto'] + ' through poly</h1></body>');
    return;
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ service: process.env.SERVICE_NAME, url: req.url, headers: req.headers,
    publicUrls: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.endsWith('_PUBLIC_URL'))) }));
});
server.on('upgrade', (req, socket) => {
  const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ' + accept + '\r\n\r\n');
  socket.on('data', (buf) => {
    const len = buf[1] & 127, mask = buf.subarray(2, 6), data = Buffer.from(buf.subarray(6, 6 + len));
    for (let i = 0; i < data.length; i++) data[i] ^= mask[i % 4];
    socket.write(Buffer.concat([Buffer.from([0x81, data.length]), data]));
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
`;

export interface ProxyBox {
  dir: string;
  env: NodeJS.ProcessEnv;
  httpsPort: number;
  httpPort: number;
  /** Writes a project folder with poly.toml and the test service; returns its path. */
  project(name: string, manifest: string): string;
  cleanup(): void;
}

/** A store and settings of its own, the proxy turned on, on free ports: nothing collides with another test. */
export async function proxyBox(extraEnv: NodeJS.ProcessEnv = {}): Promise<ProxyBox> {
  const dir = mkdtempSync(join(tmpdir(), 'poly-proxy-'));
  const httpsPort = await freePort();
  const httpPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    POLY_HOME: join(dir, 'home'),
    POLY_CONFIG_DIR: join(dir, 'config'),
    POLY_PROXY: 'on',
    POLY_PROXY_PORT: String(httpsPort),
    POLY_PROXY_HTTP_PORT: String(httpPort),
    POLY_PROXY_IDLE_MS: '300',
    NO_COLOR: '1',
    CI: '',
    ...extraEnv,
  };
  return {
    dir,
    env,
    httpsPort,
    httpPort,
    project(name, manifest) {
      const root = join(dir, name);
      mkdirSync(root, { recursive: true });
      writeFileSync(join(root, 'poly.toml'), `[project]\nname = "${name}"\n\n${manifest}`);
      writeFileSync(join(root, 'server.js'), PROXY_TEST_SERVICE);
      return root;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A service table for the test service. */
export function testService(name: string, extra = ''): string {
  return `[services.${name}]\nrun = "node server.js"\nport = "auto"\nhealth = "/health"\nenv = { SERVICE_NAME = "${name}" }\n${extra}\n`;
}

export async function poly(
  box: ProxyBox,
  cwd: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [POLY_BIN, ...args], {
      env: box.env,
      cwd,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** curl, verifying against a CA file and nothing else (no -k). */
export async function curl(args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('curl', ['-sS', '--max-time', '10', ...args], { timeout: 15_000 });
  return stdout;
}

/** Reads an SSE stream through the proxy: resolves with the first event, then the rest after `afterFirst`. */
export function readSse(
  o: { port: number; host: string; ca: string; path: string },
  afterFirst: () => Promise<void>,
): Promise<{ first: string; all: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: o.port,
        servername: o.host,
        ca: o.ca,
        path: o.path,
        headers: { host: `${o.host}:${o.port}` },
      },
      (res) => {
        let all = '';
        let first: string | undefined;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          all += chunk;
          if (first === undefined && all.includes('\n\n')) {
            first = all;
            afterFirst().catch(reject);
          }
        });
        res.on('end', () => resolve({ first: first ?? '', all }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** One WebSocket text message through the proxy (HTTP/1.1 Upgrade over TLS); resolves with the echo. */
export function webSocketEcho(o: {
  port: number;
  host: string;
  ca: string;
  text: string;
}): Promise<{ status: string; echo: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port: o.port,
      servername: o.host,
      ca: o.ca,
      ALPNProtocols: ['http/1.1'],
    });
    let buffer = Buffer.alloc(0);
    let status = '';
    socket.on('secureConnect', () => {
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: ${o.host}:${o.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!status) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end === -1) return;
        status = buffer.subarray(0, buffer.indexOf('\r\n')).toString();
        buffer = buffer.subarray(end + 4);
        const payload = Buffer.from(o.text);
        const mask = Buffer.from([1, 2, 3, 4]);
        const masked = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] ?? 0)));
        socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
      }
      if (status && buffer.length >= 2 && buffer.length >= 2 + (buffer[1] ?? 0)) {
        resolve({ status, echo: buffer.subarray(2, 2 + (buffer[1] ?? 0)).toString() });
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

export interface RunningProxy {
  pid: number;
  stop(): Promise<void>;
}

/** `poly proxy-serve` of the box as a process of its own, once it printed that it listens. */
export function startProxy(box: ProxyBox): Promise<RunningProxy> {
  const child = spawn(process.execPath, [POLY_BIN, 'proxy-serve'], {
    env: box.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      output += chunk;
    });
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (!output.includes('poly proxy ')) return;
      resolve({
        pid: child.pid as number,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`poly proxy-serve exited with ${code}: ${output}`)));
  });
}
