import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { planAdoption } from '../../../src/core/adopt/plan.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { planInit, selectEverything, writeInit } from '../../../src/services/new/init.js';
import { tempHome } from '../../helpers/poly-cli.js';
import { writeTree } from './repo-tree.js';

/** Repos shaped like real ones; each gets the service a person would write by hand. */
describe('poly init finds services in repos shaped like real ones', () => {
  const home = tempHome();
  after(home.cleanup);
  let n = 0;
  const repo = (files: Record<string, string>) => writeTree(join(home.dir, `repo-${n++}`), files);

  it('a Next.js front end: npm run dev on 3000', async () => {
    const dir = repo({
      '.nvmrc': '20\n',
      'package.json': JSON.stringify({
        name: 'shop-web',
        scripts: { dev: 'next dev', build: 'next build', start: 'next start', lint: 'next lint' },
        dependencies: { next: '15.0.0', react: '19.0.0' },
      }),
      'next.config.mjs': 'export default {};\n',
      'app/page.tsx': 'export default function Page() { return null; }\n',
      'package-lock.json': '{}',
    });
    const a = await planAdoption(dir, 'shop-web');
    assert.deepEqual(a.services, [
      { name: 'shop-web', source: 'package.json', runtime: 'node', run: 'npm run dev', port: 3000 },
    ]);
    assert.deepEqual(a.pins, [{ runtime: 'node', spec: '20', source: '.nvmrc' }]);
  });

  it('a FastAPI app with app/main.py: uvicorn app.main:app on $PORT', async () => {
    const dir = repo({
      'api/.python-version': '3.12\n',
      'api/requirements.txt': 'fastapi==0.115.0\nuvicorn[standard]==0.30.0\n',
      'api/app/__init__.py': '',
      'api/app/main.py':
        'from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get("/health")\ndef health():\n    return {"ok": True}\n',
      'api/tests/test_main.py': 'def test_x():\n    pass\n',
    });
    const a = await planAdoption(dir, 'x');
    assert.deepEqual(a.services, [
      {
        name: 'api',
        source: 'api/app/main.py',
        path: 'api',
        runtime: 'python',
        run: 'uvicorn app.main:app --host 127.0.0.1 --port $PORT',
        port: 8000,
      },
    ]);
    assert.deepEqual(a.pins, [{ runtime: 'python', spec: '3.12', source: 'api/.python-version' }]);
  });

  it('a Go module with cmd/server: go run ./cmd/server, other commands named in the report', async () => {
    const dir = repo({
      'gateway/go.mod': 'module example.com/gateway\n\ngo 1.22\n',
      'gateway/cmd/server/main.go':
        'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8081", nil)\n}\n',
      'gateway/cmd/migrate/main.go': 'package main\n\nfunc main() {}\n',
      'gateway/internal/routes/routes.go': 'package routes\n',
    });
    const a = await planAdoption(dir, 'x');
    assert.equal(a.services.length, 1);
    const [svc] = a.services;
    assert.deepEqual(svc, {
      name: 'gateway',
      source: 'gateway/cmd/server/main.go',
      path: 'gateway',
      runtime: 'go',
      run: 'go run ./cmd/server',
      port: 8081,
      health: { tcp: 8081, start_period: '2m' },
    });
    assert.deepEqual(a.pins, [{ runtime: 'go', spec: '1.22', source: 'gateway/go.mod', written: 'go 1.22' }]);
    assert.ok(
      a.notes.some((note) => /cmd\/migrate/.test(note.message)),
      JSON.stringify(a.notes),
    );
  });

  it('a cargo workspace: the axum binary is a service; the library and the CLI are not', async () => {
    const dir = repo({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n',
      'rust-toolchain.toml': '[toolchain]\nchannel = "1.82.0"\n',
      'crates/api/Cargo.toml':
        '[package]\nname = "shop-api"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\naxum = "0.7"\ntokio = { version = "1", features = ["full"] }\nshop-core = { path = "../core" }\n',
      'crates/api/src/main.rs':
        '#[tokio::main]\nasync fn main() {\n    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await.unwrap();\n}\n',
      'crates/core/Cargo.toml': '[package]\nname = "shop-core"\nversion = "0.1.0"\n',
      'crates/core/src/lib.rs': 'pub fn x() {}\n',
      'crates/cli/Cargo.toml':
        '[package]\nname = "shopctl"\nversion = "0.1.0"\n\n[dependencies]\nclap = "4"\n',
      'crates/cli/src/main.rs': 'fn main() {}\n',
      'target/debug/build/x/Cargo.toml': '[package]\nname = "junk"\n[dependencies]\naxum = "1"\n',
    });
    const a = await planAdoption(dir, 'shop');
    assert.deepEqual(a.services, [
      {
        name: 'api',
        source: 'crates/api/Cargo.toml',
        path: 'crates/api',
        runtime: 'rust',
        run: 'cargo run',
        port: 3000,
        health: { tcp: 3000, start_period: '10m' },
      },
    ]);
    assert.deepEqual(a.pins, [
      { runtime: 'rust', spec: '1.82.0', source: 'rust-toolchain.toml', written: 'channel = "1.82.0"' },
    ]);
    assert.ok(
      a.notes.some((note) => note.file === 'crates/cli/Cargo.toml' && /not proposed/.test(note.message)),
    );
  });

  it('a Spring Boot app: mvnw spring-boot:run on server.port, java pinned from pom.xml', async () => {
    const dir = repo({
      'billing/pom.xml':
        '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent><properties><java.version>21</java.version></properties><dependencies><dependency><artifactId>spring-boot-starter-actuator</artifactId></dependency></dependencies></project>\n',
      'billing/mvnw': '#!/bin/sh\n',
      'billing/src/main/resources/application.properties': 'server.port=8100\n',
    });
    const plan = await planInit(dir);
    const result = writeInit(plan, selectEverything(plan), { dryRun: true });
    assert.deepEqual(result.services, [
      {
        name: 'billing',
        source: 'billing/pom.xml',
        path: 'billing',
        runtime: 'java',
        run: './mvnw spring-boot:run',
        port: 8100,
        health: { path: '/actuator/health', start_period: '10m' },
      },
    ]);
    assert.deepEqual(result.pinned, [
      { runtime: 'java', spec: 'temurin-21', source: 'billing/pom.xml', written: 'java.version 21' },
    ]);
    const m = parseManifest(result.manifest, join(dir, 'poly.toml'));
    assert.equal(m.services.billing?.health?.kind, 'http');
  });

  it('a service whose runtime no file pins gets the default pin, said in the report', async () => {
    const dir = repo({
      'worker/Cargo.toml': '[package]\nname = "worker"\nversion = "0.1.0"\n',
      'worker/src/main.rs': 'fn main() {}\n',
    });
    const plan = await planInit(dir);
    const result = writeInit(plan, selectEverything(plan), { dryRun: true });
    assert.match(result.manifest, /^rust = "stable" +# default \(no version file pins rust\)$/m);
    assert.ok(result.notes.some((note) => /no file in the repo pins rust/.test(note.message)));
    parseManifest(result.manifest, join(dir, 'poly.toml'));
  });
});
