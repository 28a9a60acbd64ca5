import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { POLY_BIN } from '../../helpers/env-sandbox.js';
import { makeServicesProject, processesWithToken, waitFor } from '../../helpers/services-project.js';

describe('poly run --watch', () => {
  const project = makeServicesProject(
    `[tasks.build]
run = "node build.js"
sources = ["src/**"]
outputs = ["out.txt"]
`,
    {
      'src/a.txt': 'one',
      // Records each run, and writes its output (which must not count as a change).
      'build.js': `const fs = require('fs');
fs.appendFileSync('runs.log', fs.readFileSync('src/a.txt', 'utf8') + '\\n');
fs.writeFileSync('out.txt', 'built');
`,
    },
  );
  after(() => project.cleanup());
  const runs = () =>
    existsSync(join(project.root, 'runs.log'))
      ? readFileSync(join(project.root, 'runs.log'), 'utf8').trim().split('\n')
      : [];

  it('runs again when a source changes, not when the task writes its outputs; Ctrl-C ends it', async () => {
    const child = spawn(process.execPath, [POLY_BIN, 'run', '--watch', 'build'], {
      cwd: project.root,
      env: { ...project.env, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    try {
      await waitFor('the first run', () => out.includes('watching for changes'), 20_000);
      assert.deepEqual(runs(), ['one']);
      writeFileSync(join(project.root, 'src/a.txt'), 'two');
      await waitFor(
        'the second run',
        () => runs().length === 2 && out.split('watching for changes').length === 3,
        20_000,
      );
      assert.deepEqual(runs(), ['one', 'two']);
    } finally {
      child.kill('SIGINT');
    }
    const [code] = await once(child, 'exit');
    assert.equal(code, 130, out);
    assert.deepEqual(runs(), ['one', 'two'], 'writing out.txt did not start a third run');
    assert.deepEqual(processesWithToken(project.token), []);
  });
});
