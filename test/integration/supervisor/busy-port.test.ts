import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { startServices } from '../../../src/services/up/up.js';
import { testContext } from '../../helpers/context.js';
import { freePort } from '../../helpers/http.js';
import { makeServicesProject, nodeService, waitFor } from '../../helpers/services-project.js';

describe('a native service that cannot bind its port', () => {
  let holder: ChildProcess | undefined;
  const project = makeServicesProject('', {});
  after(() => {
    holder?.kill('SIGKILL');
    project.cleanup();
  });

  it('says in its status which process holds the port', async () => {
    const port = await freePort();
    project.write(
      'poly.toml',
      `[services.db]\npath = "db"\nrun = "node server.js"\nport = "auto"\n` +
        `[services.api]\npath = "api"\nrun = "node server.js"\nport = ${port}\ndepends_on = ["db"]\n`,
    );
    project.write('db/server.js', nodeService({ delayMs: 1500 }));
    project.write('api/server.js', nodeService());
    // Planned while the port was free; another program takes it (every interface) before api starts.
    const run = await startServices({ cwd: project.root, services: [], ctx: testContext(process.env) });
    try {
      holder = spawn(
        process.execPath,
        ['-e', `require('node:net').createServer().listen(${port}, '0.0.0.0', () => console.log('up'))`],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await once(holder.stdout!, 'data');
      const status = await waitFor(
        'a note on the port',
        () => run.supervisor.status().find((s) => s.name === 'api' && /held by/.test(s.message ?? '')),
        20_000,
      );
      assert.match(status.message ?? '', new RegExp(`port ${port} is held by pid ${holder.pid} \\(`));
    } finally {
      await run.stop();
    }
  });
});
