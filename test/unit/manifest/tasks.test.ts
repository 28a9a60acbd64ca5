import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { requestedTasks, taskClosure } from '../../../src/core/tasks/plan.js';
import { REPO_ROOT } from '../../helpers/poly-cli.js';

const load = (toml: string) => parseManifest(toml, '/project/poly.toml', 'poly.toml');

describe('tasks in poly.toml', () => {
  const m = load(`[tasks.proto]
run = "buf generate"

[tasks.ci]
depends = ["lint", "test"]

[services.api]
path = "api"
run = "./api"
[services.api.tasks]
build = "cargo build"
test = { run = "cargo test", depends = ["build", "proto", "service:db"] }
lint = "cargo clippy"

[services.web]
path = "web"
run = "npm start"
[services.web.tasks]
test = { run = ["npm ci", "npm test"], depends = ["api:build"], dir = "src" }
lint = "npm run lint"

[services.db]
image = "postgres:16"
`);
  const tasks = m.tasks ?? {};

  it('resolve depends: own service first, then the project task, else every service’s task', () => {
    assert.deepEqual(tasks['api:test']?.dependsOn, ['api:build', 'proto']);
    assert.deepEqual(tasks['api:test']?.needsServices, ['db']);
    assert.deepEqual(tasks.ci?.dependsOn, ['api:lint', 'web:lint', 'api:test', 'web:test']);
    assert.deepEqual(tasks['web:test']?.dependsOn, ['api:build']);
    assert.equal(tasks['web:test']?.dir, '/project/web/src');
    assert.equal(tasks['api:test']?.dir, '/project/api');
    assert.equal(tasks.proto?.dir, '/project');
  });

  it('poly run <name>: the project task, else every service’s, --service narrows, closure puts dependencies first', () => {
    assert.deepEqual(requestedTasks(m, 'proto'), ['proto']);
    assert.deepEqual(requestedTasks(m, 'test'), ['api:test', 'web:test']);
    assert.deepEqual(requestedTasks(m, 'test', ['web']), ['web:test']);
    assert.deepEqual(requestedTasks(m, 'api:lint'), ['api:lint']);
    assert.throws(() => requestedTasks(m, 'tets'), /no task "tets"/);
    assert.throws(() => requestedTasks(m, 'test', ['wbe']), /no service "wbe"/);
    assert.deepEqual(
      taskClosure(tasks, ['api:test', 'web:test']).map((t) => t.id),
      ['api:build', 'proto', 'api:test', 'web:test'],
    );
  });

  it('project.example.toml documents every task key', () => {
    const source = readFileSync(join(REPO_ROOT, 'project.example.toml'), 'utf8');
    const example = parseManifest(source, '/project/poly.toml', 'project.example.toml');
    assert.ok(example.tasks?.['api:test'] && example.tasks.ci && example.tasks.proto);
    for (const key of ['run', 'depends', 'sources', 'outputs', 'env', 'dir', 'description', 'quiet'])
      assert.match(source, new RegExp(`^#.*\\b${key}\\b`, 'm'), `${key} is explained in a comment`);
  });
});
