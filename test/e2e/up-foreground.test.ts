import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  makeServicesProject,
  nodeService,
  processesWithToken,
  waitFor,
} from '../helpers/services-project.js';

const bin = fileURLToPath(new URL('../../../bin/run.cjs', import.meta.url));

describe('poly up in the foreground without a terminal', () => {
  const project = makeServicesProject(
    `[services.db]
path = "db"
run = "node server.js"
port = "auto"

[services.api]
path = "api"
run = "sleep 300 & node server.js"
port = "auto"
health = "/health"
depends_on = ["db"]
`,
    { 'db/server.js': nodeService(), 'api/server.js': nodeService() },
  );
  after(() => project.cleanup());

  it('prints prefixed lines like docker compose and stops everything on Ctrl-C', async () => {
    const child = spawn(process.execPath, [bin, 'up'], { cwd: project.root, env: project.env });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    await waitFor('api healthy', () => /^api \| \[poly\] healthy/m.test(out), 30_000);
    assert.match(out, /^db {2}\| listening on \d+/m);
    assert.match(out, /^api \| \[poly\] waiting for db$/m);
    assert.doesNotMatch(out, /\x1b\[/, 'NO_COLOR is set: no escape codes');
    // Order on screen: db healthy before api started.
    assert.ok(out.indexOf('db  | [poly] healthy') < out.indexOf('api | [poly] started'));

    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, out);
    assert.match(out, /^api \| \[poly\] stopped[\s\S]*^db {2}\| \[poly\] stopped/m);
    assert.deepEqual(processesWithToken(project.token), []);
  });
});
