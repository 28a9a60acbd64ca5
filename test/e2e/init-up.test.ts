import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseManifest } from '../../src/core/manifest/load.js';
import { dockerForTests } from '../helpers/docker.js';
import { BUSYBOX_TEST_IMAGE, busyboxTestImage } from '../helpers/docker-images.js';
import { freePort } from '../helpers/http.js';
import { type Mirror, startMirror } from '../helpers/mirror/index.js';
import { polyIn } from '../helpers/poly-cli.js';
import { writeTree } from '../unit/adopt/repo-tree.js';

const poly = (env: NodeJS.ProcessEnv, cwd: string, ...args: string[]) => polyIn(env, cwd, args, 600_000);

interface UpResult {
  services: { name: string; state: string; url?: string; address?: string }[];
}

/**
 * The "Done when", as a new user would try it: a monorepo with four
 * services in four languages, each with its own version file, and a
 * compose.yaml adding an image service with a healthcheck and a service built
 * from one of those folders. `poly init --yes`, then `poly up -d`. Toolchains
 * come from the test mirror (this machine's real ones in the official
 * layouts); the image is the locally built busybox test image (no registry is
 * reachable); FastAPI and uvicorn come from PyPI through pip, as for a user.
 */
const { client, skip } = await dockerForTests();

describe('poly init --yes then poly up -d on an existing monorepo', { skip }, () => {
  const root = mkdtempSync(join(tmpdir(), 'poly-adopt-'));
  const dir = join(root, `shop-${randomBytes(3).toString('hex')}`);
  let mirror: Mirror | undefined;
  let env: NodeJS.ProcessEnv = {};
  before(async () => {
    mirror = await startMirror({ runtimes: ['node', 'python', 'go', 'rust'] });
    env = {
      ...process.env,
      ...mirror.env,
      POLY_HOME: join(root, 'home'),
      POLY_CONFIG_DIR: join(root, 'config'),
      CARGO_TARGET_DIR: join(root, 'cargo-target'),
      NO_COLOR: '1',
      CI: process.env.CI ?? '',
    };
  });
  after(async () => {
    const start = Date.now();
    await poly(env, dir, 'down');
    await mirror?.close();
    rmSync(root, { recursive: true, force: true });
    // The installed toolchains (rust's above all) are most of what is removed here.
    console.error(`# monorepo cleanup: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  });

  it('writes a poly.toml that pins every runtime and declares every service, and it all comes up healthy', async (t) => {
    let mark = Date.now();
    const lap = (what: string) => {
      t.diagnostic(`${what}: ${((Date.now() - mark) / 1000).toFixed(1)} s`);
      mark = Date.now();
    };
    await busyboxTestImage(client);
    lap('test image');
    const versions = mirror!.versions;
    const [web, api, gateway, ledger, cache] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
    writeTree(dir, {
      '.gitignore': '.poly/\n.venv/\n',
      'README.md': '# shop\n',
      'web/.nvmrc': `${versions.node[0]}\n`,
      'web/package.json': JSON.stringify({
        name: 'web',
        private: true,
        scripts: { start: 'node server.js' },
      }),
      'web/Dockerfile': 'FROM node:22\nCOPY . /app\nCMD ["node", "/app/server.js"]\n',
      'web/server.js': `const http = require('node:http');
const peers = ['API_URL', 'GATEWAY_URL', 'LEDGER_URL', 'CACHE_URL'];
http.createServer(async (req, res) => {
  if (req.url === '/health') return res.end('ok');
  const parts = [];
  for (const v of peers) {
    const path = v === 'CACHE_URL' ? '/ping' : '/';
    try { parts.push((await (await fetch(process.env[v] + path)).text()).trim()); }
    catch (err) { parts.push(v + ' failed: ' + err.message); }
  }
  res.end(parts.join(' '));
}).listen(process.env.PORT || ${web}, '127.0.0.1');
`,
      'api/.python-version': `${versions.python[0]}\n`,
      'api/requirements.txt': 'fastapi\nuvicorn\n',
      'api/app/__init__.py': '',
      'api/app/main.py': `from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI()


@app.get("/", response_class=PlainTextResponse)
def root():
    return "api"


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, port=${api})
`,
      'gateway/go.mod': `module example.com/gateway\n\ngo ${versions.go[0]}\n`,
      'gateway/cmd/server/main.go': `package main

import (
	"net/http"
	"os"
)

func main() {
	addr := "127.0.0.1:${gateway}"
	if p := os.Getenv("PORT"); p != "" {
		addr = "127.0.0.1:" + p
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("gateway")) })
	http.ListenAndServe(addr, nil)
}
`,
      'services/ledger/rust-toolchain.toml': `[toolchain]\nchannel = "${versions.rust[0]}"\n`,
      'services/ledger/Cargo.toml': '[package]\nname = "ledger"\nversion = "0.1.0"\nedition = "2021"\n',
      'services/ledger/src/main.rs': `use std::io::{Read, Write};
use std::net::TcpListener;

fn main() {
    let port = std::env::var("PORT").unwrap_or_else(|_| "${ledger}".to_string());
    let listener = TcpListener::bind(format!("127.0.0.1:{port}")).unwrap();
    let _default = "127.0.0.1:${ledger}";
    for stream in listener.incoming() {
        let mut stream = stream.unwrap();
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf);
        let _ = stream.write_all(b"HTTP/1.1 200 OK\\r\\nContent-Length: 6\\r\\nConnection: close\\r\\n\\r\\nledger");
    }
}
`,
      'compose.yaml': `services:
  cache:
    image: ${BUSYBOX_TEST_IMAGE}
    command: sh -c "mkdir -p /www && echo cache > /www/ping && exec httpd -f -p ${cache} -h /www"
    ports:
      - "${cache}:${cache}"
    healthcheck:
      test: ["CMD", "wget", "-q", "-O-", "http://localhost:${cache}/ping"]
      interval: 1s
      timeout: 2s
      retries: 30
  web:
    build: ./web
    ports:
      - "${web}:${web}"
    depends_on:
      cache:
        condition: service_healthy
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:${web}/health"]
      interval: 2s
`,
    });

    const init = await poly(env, dir, 'init', '--yes');
    assert.equal(init.code, 0, init.stderr + init.stdout);
    lap('poly init --yes');
    const text = readFileSync(join(dir, 'poly.toml'), 'utf8');
    const m = parseManifest(text, join(dir, 'poly.toml'));
    assert.deepEqual(Object.fromEntries(Object.entries(m.runtimes).map(([r, p]) => [r, p?.spec])), {
      node: versions.node[0],
      python: versions.python[0],
      go: versions.go[0],
      rust: versions.rust[0],
    });
    for (const [runtime, file] of <[string, string][]>[
      ['node', 'web/.nvmrc'],
      ['python', 'api/.python-version'],
      ['go', 'gateway/go.mod'],
      ['rust', 'services/ledger/rust-toolchain.toml'],
    ])
      assert.match(text, new RegExp(`^${runtime} = "[^"]+" +# from ${file.replaceAll('.', '\\.')}`, 'm'));
    const s = m.services;
    assert.deepEqual(Object.keys(s), ['cache', 'web', 'api', 'gateway', 'ledger']);
    assert.equal(s.cache?.image, BUSYBOX_TEST_IMAGE);
    assert.deepEqual(s.cache?.health, { kind: 'http', path: '/ping' });
    assert.deepEqual(s.cache?.healthTiming, { interval: 1000, timeout: 2000, retries: 30 });
    assert.deepEqual(
      [s.web?.mode, s.web?.runtime, s.web?.run, s.web?.port],
      ['native', 'node', 'npm start', web],
    );
    assert.deepEqual(s.web?.dependsOn, ['cache']);
    assert.deepEqual(s.web?.health, { kind: 'http', path: '/health' });
    assert.deepEqual(
      [s.api?.relativePath, s.api?.run, s.api?.port],
      ['api', 'uvicorn app.main:app --host 127.0.0.1 --port $PORT', api],
    );
    assert.deepEqual([s.gateway?.run, s.gateway?.port], ['go run ./cmd/server', gateway]);
    assert.deepEqual(
      [s.ledger?.relativePath, s.ledger?.run, s.ledger?.port],
      ['services/ledger', 'cargo run', ledger],
    );
    assert.match(
      init.stdout,
      /services\.web: builds web, which poly runs natively: node service `npm start`/,
    );

    // What a new user does next: the API's Python dependencies, into the project's venv.
    const pip = await poly(
      env,
      dir,
      'exec',
      '--',
      'python',
      '-m',
      'pip',
      'install',
      '-q',
      '-r',
      'api/requirements.txt',
    );
    assert.equal(pip.code, 0, pip.stderr);
    lap('toolchains installed by poly exec, then pip install');

    const up = await poly(env, dir, 'up', '-d', '--json');
    assert.equal(up.code, 0, up.stderr + up.stdout);
    lap('poly up -d (first cargo and go builds)');
    const result = JSON.parse(up.stdout) as UpResult;
    assert.deepEqual(result.services.map((x) => [x.name, x.state]).sort(), [
      ['api', 'healthy'],
      ['cache', 'healthy'],
      ['gateway', 'healthy'],
      ['ledger', 'healthy'],
      ['web', 'healthy'],
    ]);
    const page = await (await fetch(`http://127.0.0.1:${web}/`)).text();
    assert.equal(page, 'api gateway ledger cache');
    const down = await poly(env, dir, 'down');
    assert.equal(down.code, 0, down.stderr);
  });
});

describe('poly init --yes then poly up -d on a Procfile project', () => {
  const root = mkdtempSync(join(tmpdir(), 'poly-adopt-proc-'));
  const dir = join(root, `heroku-${randomBytes(3).toString('hex')}`);
  let mirror: Mirror | undefined;
  let env: NodeJS.ProcessEnv = {};
  before(async () => {
    mirror = await startMirror({ runtimes: ['node', 'python'] });
    env = {
      ...process.env,
      ...mirror.env,
      POLY_HOME: join(root, 'home'),
      POLY_CONFIG_DIR: join(root, 'config'),
      NO_COLOR: '1',
      CI: process.env.CI ?? '',
    };
  });
  after(async () => {
    await poly(env, dir, 'down');
    await mirror?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('makes each Procfile line a service with $PORT kept, and they come up', async () => {
    const versions = mirror!.versions;
    writeTree(dir, {
      '.python-version': `${versions.python[0]}\n`,
      '.nvmrc': `${versions.node[0]}\n`,
      Procfile: 'web: python -m http.server $PORT --bind 127.0.0.1\nclock: node clock.js\n',
      'index.html': 'hello from the Procfile\n',
      'clock.js': "setInterval(() => console.log('tick'), 1000);\n",
      'package.json': JSON.stringify({ name: 'heroku', scripts: { start: 'python -m http.server' } }),
    });
    const init = await poly(env, dir, 'init', '--yes');
    assert.equal(init.code, 0, init.stderr + init.stdout);
    const text = readFileSync(join(dir, 'poly.toml'), 'utf8');
    assert.match(
      text,
      /^\[services\.web\] +# from Procfile:1\nruntime = "python"\nrun = "python -m http\.server \$PORT --bind 127\.0\.0\.1"\nport = "auto"$/m,
    );
    assert.match(text, /^\[services\.clock\] +# from Procfile:2\nruntime = "node"\nrun = "node clock\.js"$/m);
    const m = parseManifest(text, join(dir, 'poly.toml'));
    assert.deepEqual(Object.keys(m.services), ['web', 'clock']);

    const up = await poly(env, dir, 'up', '-d', '--json');
    assert.equal(up.code, 0, up.stderr + up.stdout);
    const result = JSON.parse(up.stdout) as UpResult;
    assert.deepEqual(
      result.services.map((x) => [x.name, x.state]),
      [
        ['web', 'healthy'],
        ['clock', 'healthy'],
      ],
    );
    // A service without an HTTP check is shown by its address (poly ps gives http URLs only to http services).
    const address = result.services.find((x) => x.name === 'web')?.address;
    assert.ok(address, up.stdout);
    assert.equal(await (await fetch(`http://${address}/index.html`)).text(), 'hello from the Procfile\n');
    const down = await poly(env, dir, 'down');
    assert.equal(down.code, 0, down.stderr);
  });
});
