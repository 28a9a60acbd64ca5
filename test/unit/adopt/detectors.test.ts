import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { planAdoption } from '../../../src/core/adopt/plan.js';
import { tempHome } from '../../helpers/poly-cli.js';
import { writeTree } from './repo-tree.js';

/** The smaller detector cases: each folder shape and the one service it should give. */
describe('service folder detectors', () => {
  const home = tempHome();
  after(home.cleanup);
  let n = 0;
  const only = async (files: Record<string, string>) => {
    const a = await planAdoption(writeTree(join(home.dir, `d${n++}`), files), 'top');
    assert.equal(a.services.length, 1, JSON.stringify(a.services));
    const { name: _name, source: _source, path: _path, ...rest } = a.services[0]!;
    return { ...rest, source: a.services[0]!.source };
  };

  it('Django: manage.py runserver on $PORT', async () => {
    assert.deepEqual(await only({ 'requirements.txt': 'django\n', 'manage.py': '#!/usr/bin/env python\n' }), {
      runtime: 'python',
      run: 'python manage.py runserver 127.0.0.1:$PORT',
      port: 8000,
      source: 'manage.py',
    });
  });

  it('Flask: flask --app, with the port app.run names', async () => {
    assert.deepEqual(
      await only({
        'pyproject.toml': '[project]\nname = "x"\ndependencies = ["Flask>=3"]\nrequires-python = ">=3.11"\n',
        'app.py':
          'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(debug=True, port=5050)\n',
      }),
      { runtime: 'python', run: 'flask --app app:app run --port $PORT', port: 5050, source: 'app.py' },
    );
  });

  it("pins python from Poetry's python constraint when no version file does", async () => {
    const a = await planAdoption(
      writeTree(join(home.dir, `d${n++}`), {
        'ml/pyproject.toml':
          '[tool.poetry]\nname = "ml"\n[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "^0.110"\n',
        'ml/app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      }),
      'x',
    );
    assert.deepEqual(
      a.pins.map((p) => [p.runtime, p.spec, p.source]),
      [['python', '3.11', 'ml/pyproject.toml']],
    );
  });

  it('gunicorn serving a WSGI module', async () => {
    assert.deepEqual(
      await only({
        'requirements.txt': 'gunicorn\n',
        'wsgi.py': 'def application(env, start):\n    pass\napplication = application\n',
      }),
      {
        runtime: 'python',
        run: 'gunicorn wsgi:application --bind 127.0.0.1:$PORT',
        port: 8000,
        source: 'wsgi.py',
      },
    );
  });

  it('a loose Python script with no project file is not a service', async () => {
    const a = await planAdoption(
      writeTree(join(home.dir, `d${n++}`), { 'tools/main.py': 'app = FastAPI()\n' }),
      'x',
    );
    assert.deepEqual(a.services, []);
  });

  it('Spring Boot with Gradle (Kotlin DSL) and application.yml', async () => {
    assert.deepEqual(
      await only({
        'build.gradle.kts':
          'plugins {\n  id("org.springframework.boot") version "3.3.0"\n}\njava { toolchain { languageVersion = JavaLanguageVersion.of(21) } }\n',
        gradlew: '#!/bin/sh\n',
        'src/main/resources/application.yml': 'spring:\n  application:\n    name: x\nserver:\n  port: 9090\n',
      }),
      {
        runtime: 'java',
        run: './gradlew bootRun',
        port: 9090,
        health: { tcp: 9090, start_period: '10m' },
        source: 'build.gradle.kts',
      },
    );
  });

  it('a pnpm app, its port from the script, and a workspace root that is not a service', async () => {
    const a = await planAdoption(
      writeTree(join(home.dir, `d${n++}`), {
        'package.json': JSON.stringify({ workspaces: ['apps/*'], scripts: { dev: 'turbo dev' } }),
        'pnpm-lock.yaml': '',
        'apps/site/package.json': JSON.stringify({ scripts: { dev: 'astro dev --port 4400' } }),
        'apps/site/pnpm-lock.yaml': '',
      }),
      'mono',
    );
    assert.deepEqual(
      a.services.map((s) => [s.name, s.path, s.run, s.port]),
      [['site', 'apps/site', 'pnpm run dev', 4400]],
    );
  });

  it('a Go module whose root is package main', async () => {
    assert.deepEqual(
      await only({
        'go.mod': 'module x\n\ngo 1.23\n',
        'main.go': 'package main\n\nfunc main() {\n\thttp.ListenAndServe(":9000", nil)\n}\n',
        'main_test.go': 'package main\n',
      }),
      {
        runtime: 'go',
        run: 'go run .',
        port: 9000,
        health: { tcp: 9000, start_period: '2m' },
        source: 'main.go',
      },
    );
  });

  it('a crate with several binaries runs the first, and says so', async () => {
    const dir = writeTree(join(home.dir, `d${n++}`), {
      'Cargo.toml':
        '[package]\nname = "tools"\n\n[[bin]]\nname = "server"\npath = "src/server.rs"\n\n[[bin]]\nname = "seed"\npath = "src/seed.rs"\n',
    });
    const a = await planAdoption(dir, 'tools');
    assert.deepEqual(
      a.services.map((s) => s.run),
      ['cargo run --bin server'],
    );
    assert.ok(a.notes.some((x) => /has binaries server, seed/.test(x.message)));
  });
});
