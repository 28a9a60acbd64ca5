import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PolyError } from '../../../src/core/errors.js';
import { builtinTemplatesDir } from '../../../src/core/store/layout.js';
import { assertEmptyTarget, planFiles, writeFiles } from '../../../src/core/templates/copy.js';
import { listTemplateDirs, loadTemplate } from '../../../src/core/templates/load.js';
import { resolveOptions } from '../../../src/core/templates/render.js';

const TEMPLATE_TOML = `
name = "fixture"
description = "a Java-like tree"
runtime = "java"
versions = ">=17"
pin = "21"
run = "./run {{name}}"
test = "./test"
health = "/health"

[options.name]
default = "hello-app"
[options.port]
default = 8080
[options.package]
default = "com.example.{{name.flat}}"
kind = "java-package"

[[substitute]]
files = ["src/**/*.java", "README.md"]
replace = { "com.example.helloapp" = "{{package}}", "HelloApp" = "{{name.pascal}}", "hello-app" = "{{name}}", "8080" = "{{port}}" }

[[rename]]
from = "src/com/example/helloapp"
to = "src/{{package.path}}"
`;

const FILES: Record<string, string> = {
  'template.toml': TEMPLATE_TOML,
  'README.md': '# hello-app on 8080\n',
  'NOTES.txt': 'hello-app stays here: not listed for substitution\n',
  'src/com/example/helloapp/HelloApp.java': 'package com.example.helloapp;\nclass HelloApp {}\n',
  _gitignore: 'target/\n',
  run: '#!/bin/sh\necho hello-app\n',
  'node_modules/left-over.js': 'built in place, never copied\n',
};

describe('planFiles and writeFiles', () => {
  let root: string;
  let templateDir: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'poly-copy-'));
    templateDir = join(root, 'template');
    for (const [path, content] of Object.entries(FILES)) {
      mkdirSync(dirname(join(templateDir, path)), { recursive: true });
      writeFileSync(join(templateDir, path), content);
    }
    chmodSync(join(templateDir, 'run'), 0o755);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function plan(name = 'orders-api', set: Record<string, string> = {}) {
    const template = loadTemplate(templateDir);
    return planFiles(template, resolveOptions(template, { name, port: 9000, set }));
  }

  it('renders listed files, renames folders and _gitignore, skips metadata and build output', () => {
    const files = plan();
    const byTarget = Object.fromEntries(files.map((f) => [f.target, f.content.toString()]));
    assert.deepEqual(Object.keys(byTarget).sort(), [
      '.gitignore',
      'NOTES.txt',
      'README.md',
      'run',
      'src/com/example/ordersapi/HelloApp.java',
    ]);
    assert.equal(byTarget['README.md'], '# orders-api on 9000\n');
    assert.equal(
      byTarget['src/com/example/ordersapi/HelloApp.java'],
      'package com.example.ordersapi;\nclass OrdersApi {}\n',
    );
    assert.equal(byTarget['NOTES.txt'], FILES['NOTES.txt'], 'files not listed are copied byte for byte');
    assert.equal(byTarget['.gitignore'], 'target/\n');
  });

  it('follows a --set package into the folder layout', () => {
    const files = plan('billing', { package: 'org.acme.billing' });
    assert.ok(files.some((f) => f.target === 'src/org/acme/billing/HelloApp.java'));
  });

  it('writes the files with their modes into a new folder', () => {
    const target = join(root, 'out-new', 'svc');
    writeFiles(target, plan());
    assert.equal(readFileSync(join(target, 'README.md'), 'utf8'), '# orders-api on 9000\n');
    assert.equal(statSync(join(target, 'run')).mode & 0o111, 0o111, 'the executable bit survives');
  });

  it('writes into an existing empty folder', () => {
    const target = join(root, 'out-empty');
    mkdirSync(target);
    writeFiles(target, plan());
    assert.ok(statSync(join(target, '.gitignore')).isFile());
  });

  it('refuses a non-empty folder and leaves it as it was', () => {
    const target = join(root, 'out-busy');
    mkdirSync(target);
    writeFileSync(join(target, 'mine.txt'), 'keep me');
    assert.throws(
      () => writeFiles(target, plan()),
      (err: unknown) => err instanceof PolyError && err.code === 'TARGET_NOT_EMPTY',
    );
    assert.equal(readFileSync(join(target, 'mine.txt'), 'utf8'), 'keep me');
    assert.throws(() => assertEmptyTarget(join(target, 'mine.txt')), /not a folder/);
  });

  it('never overwrites a file, even one that appears while writing', () => {
    const target = join(root, 'out-race');
    const files = plan();
    // A file the plan also writes, created after the emptiness check (simulated by a
    // plan that holds the same target twice): the second write must fail, not replace.
    const twice = [...files, { ...files[0]!, content: Buffer.from('second') }];
    assert.throws(
      () => writeFiles(target, twice),
      (err: unknown) => err instanceof PolyError && err.code === 'FILE_EXISTS',
    );
    assert.deepEqual(readFileSync(join(target, files[0]!.target)), files[0]!.content);
  });

  it('refuses a rename that leaves the new folder', () => {
    const evil = loadTemplate(templateDir);
    evil.renames = [{ from: 'README.md', to: '../{{name}}.md' }];
    const values = resolveOptions(evil, { name: 'x', port: 1 });
    assert.throws(() => planFiles(evil, values), /outside the new folder/);
  });
});

describe('built-in templates', () => {
  const dirs = listTemplateDirs(builtinTemplatesDir());

  it('are the six of the issue', () => {
    assert.deepEqual(
      dirs.map((d) => loadTemplate(d).name),
      ['actix-web', 'axum', 'express', 'fastapi', 'go-http', 'spring-boot'],
    );
  });

  for (const dir of dirs) {
    const template = loadTemplate(dir);
    it(`${template.name}: renders a new name and port everywhere the tree used its own`, () => {
      const own = template.options.find((o) => o.key === 'name')!.default as string;
      const ownPort = String(template.options.find((o) => o.key === 'port')!.default);
      const values = resolveOptions(template, { name: 'zz-new', port: 45678 });
      const files = planFiles(template, values);
      assert.ok(
        files.some((f) => f.target === '.gitignore'),
        'has a _gitignore',
      );
      assert.ok(
        files.some((f) => f.target === 'Dockerfile'),
        'has a Dockerfile',
      );
      assert.ok(
        files.some((f) => f.target === 'README.md'),
        'has a README',
      );
      const ownSnake = own.replace(/-/g, '_');
      for (const file of files) {
        if (file.target === '.gitignore') continue;
        const text = file.content.toString();
        assert.ok(!text.includes(own), `${file.target} still says ${own}`);
        // Lockfiles name dependency versions that may contain the port's digits; sources must not keep it.
        if (!/lock/.test(file.target)) {
          assert.ok(!text.includes(ownSnake), `${file.target} still says ${ownSnake}`);
        }
        assert.ok(!file.target.includes(ownSnake.replace(/_/g, '')), `${file.target} keeps the old folder`);
      }
      const sources = files.filter((f) => /\.(rs|py|ts|go|java|properties)$/.test(f.target));
      assert.ok(
        sources.some((f) => f.content.toString().includes('45678')),
        `the default port ${ownPort} became 45678 in the sources`,
      );
    });
  }
});
