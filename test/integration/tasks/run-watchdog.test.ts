import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { POLY_BIN } from '../../helpers/env-sandbox.js';
import { makeServicesProject, processesWithToken, waitFor } from '../../helpers/services-project.js';

describe('poly run killed with SIGKILL', () => {
  // Every process below carries POLY_TEST_TOKEN (from [env]): /proc tells what is left.
  const project = makeServicesProject(
    `[services.db]
run = "node forever.js db"
port = 4391
health = { tcp = 4391 }

[tasks.hang]
run = "sh -c 'sleep 300 & node forever.js task; wait'"
depends = ["service:db"]
`,
    {
      'forever.js': `const role = process.argv[2];
if (role === 'db') require('net').createServer().listen(Number(process.env.PORT), '127.0.0.1');
console.log(role + ' started');
setInterval(() => {}, 1000);`,
    },
  );
  after(() => project.cleanup());

  it("leaves neither its task's process group nor the service it started running", async () => {
    const child = spawn(process.execPath, [POLY_BIN, 'run', 'hang'], {
      cwd: project.root,
      env: { ...project.env, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', (d) => {
      out += String(d);
    });
    try {
      // Given the service and the task's two processes running (the db, sh, sleep, node)
      await waitFor(
        'the task and its service',
        () =>
          /hang \| task started/.test(out) &&
          processesWithToken(project.token).some((p) => p.cmd.includes('forever.js db')) &&
          processesWithToken(project.token).some((p) => p.cmd.startsWith('sleep 300')),
        30_000,
      );
    } catch (err) {
      child.kill('SIGKILL');
      throw new Error(`${(err as Error).message}\n${out}`);
    }
    // When poly itself is killed, with no chance to clean up
    child.kill('SIGKILL');
    await once(child, 'exit');
    // Then the watchdogs end the task's group and the service: nothing with the token is left
    const left = await waitFor(
      'every process to end',
      () => {
        const procs = processesWithToken(project.token);
        return procs.length === 0 ? [] : false;
      },
      15_000,
    ).catch(() => processesWithToken(project.token));
    assert.deepEqual(left, [], out);
  });
});
