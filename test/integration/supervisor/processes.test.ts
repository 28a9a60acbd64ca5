import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isPolyError } from '../../../src/core/errors.js';
import { pickFreePort } from '../../../src/core/supervisor/ports.js';
import { startServices } from '../../../src/services/up/up.js';
import { testContext } from '../../helpers/context.js';
import { makeServicesProject, processesWithToken, waitFor } from '../../helpers/services-project.js';

describe('stopping leaves no process behind', () => {
  // tree: sh -> (sleep, sleep, node); stubborn ignores SIGTERM and must be SIGKILLed after stop_timeout.
  const project = makeServicesProject(`[services.tree]
run = "sleep 300 & sleep 301 & node -e 'setInterval(() => {}, 1000)'"

[services.stubborn]
run = "trap '' TERM; echo ready; while :; do sleep 0.2; done"
stop_timeout = "700ms"
`);
  after(() => project.cleanup());

  it('ends whole process groups, with SIGKILL after stop_timeout', async () => {
    const run = await startServices({ cwd: project.root, services: [], ctx: testContext(process.env) });
    await run.supervisor.settled();
    await waitFor('the process tree', () => processesWithToken(project.token).length >= 5);
    const started = Date.now();
    await run.stop();
    const took = Date.now() - started;
    assert.ok(took >= 650, `stubborn was not given its stop_timeout (${took} ms)`);
    assert.deepEqual(processesWithToken(project.token), []);
    assert.equal(run.supervisor.status().find((s) => s.name === 'stubborn')?.state, 'stopped');
  });
});

describe('a child of the service', () => {
  // Like `cargo run` and its binary: sh ends at once on SIGTERM, its child takes 300 ms to shut down.
  const project = makeServicesProject(
    `[services.wrapper]
run = "node slow-stop.js & wait"
`,
    {
      'slow-stop.js': `process.on('SIGTERM', () => setTimeout(() => {
  require('node:fs').writeFileSync('stopped-gracefully', 'yes');
  process.exit(0);
}, 300));
setInterval(() => {}, 1000);
console.log('ready');
`,
    },
  );
  after(() => project.cleanup());

  it('gets its own stop timeout, not a SIGKILL the moment the service process ends', async () => {
    const run = await startServices({ cwd: project.root, services: [], ctx: testContext(process.env) });
    await waitFor('the child', () => run.supervisor.recentLines('wrapper').includes('ready'));
    await run.stop();
    assert.equal(readFileSync(join(project.root, 'stopped-gracefully'), 'utf8'), 'yes');
    assert.deepEqual(processesWithToken(project.token), []);
  });
});

describe('ports', () => {
  it('refuses a fixed port in use, naming the port and the process holding it', async () => {
    const port = await pickFreePort();
    const holder = spawn(
      process.execPath,
      ['-e', `require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('up'))`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await once(holder.stdout!, 'data');
    const project = makeServicesProject(`[services.web]\nrun = "true"\nport = ${port}\n`);
    try {
      await assert.rejects(
        startServices({ cwd: project.root, services: [], ctx: testContext(process.env) }),
        (err: unknown) => {
          assert.ok(isPolyError(err));
          assert.equal(err.code, 'PORT_IN_USE');
          assert.match(
            err.message,
            new RegExp(`port ${port} is already in use by pid ${holder.pid} \\(.*node`),
          );
          assert.match(err.hint ?? '', /port = "auto"/);
          return true;
        },
      );
    } finally {
      holder.kill();
      project.cleanup();
    }
  });
});
