import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServices } from '../../../src/services/up/up.js';
import { formatServiceTable } from '../../../src/ui/service-lines.js';
import { testContext } from '../../helpers/context.js';
import { makeServicesProject, processesWithToken, waitFor } from '../../helpers/services-project.js';

describe('a service without a health check', () => {
  const project = makeServicesProject(`[services.boom]
run = "echo boom; exit 1"

[services.steady]
run = "echo up; exec sleep 300"
`);
  after(() => project.cleanup());

  it('that exits at once is never healthy; one that stays up is, after the grace period', async () => {
    const run = await startServices({ cwd: project.root, services: [], ctx: testContext(process.env) });
    const states: string[] = [];
    run.supervisor.on((e) => {
      if (e.type === 'status' && e.status.name === 'boom') states.push(e.status.state);
    });
    try {
      const settled = await run.supervisor.settled(['boom']);
      assert.equal(settled.ok, false);
      assert.ok(!states.includes('healthy'), `boom went through: ${states.join(', ')}`);
      await run.supervisor.settled(['steady']);
      const steady = run.supervisor.status().find((s) => s.name === 'steady')!;
      assert.equal(steady.state, 'healthy');
      assert.equal(steady.check, 'up for 1 s');
      assert.ok(steady.healthyAt! - steady.startedAt! >= 1000, 'healthy before the grace period');
    } finally {
      await run.stop();
    }
  });

  it('that is not running shows no uptime', async () => {
    const run = await startServices({ cwd: project.root, services: ['boom'], ctx: testContext(process.env) });
    try {
      // Between two tries of the crash loop no instance runs.
      const waiting = await waitFor('boom between tries', () => {
        const s = run.supervisor.status().find((x) => x.name === 'boom');
        return s && (s.state === 'backoff' || s.state === 'crash-loop') && s;
      });
      assert.equal(waiting.startedAt, undefined);
      assert.match(formatServiceTable([waiting], Date.now() + 60_000), /\n.*\s-$/);
    } finally {
      await run.stop();
    }
  });
});

describe('a stop that needed SIGKILL', () => {
  const project = makeServicesProject(`[services.stubborn]
run = "trap '' TERM; echo ready; while :; do sleep 0.1; done"
stop_timeout = "300ms"

[services.polite]
run = "echo ready; exec sleep 300"

[services.stubborn_daemon]
run = "setsid sh -c \\"trap '' TERM; while :; do sleep 0.1; done\\" & exec sleep 300"
stop_timeout = "300ms"
`);
  after(() => project.cleanup());

  it('says so in the service log; a stop that did not, says nothing', async () => {
    const run = await startServices({ cwd: project.root, services: [], ctx: testContext(process.env) });
    await run.supervisor.settled();
    await run.stop();
    assert.deepEqual(processesWithToken(project.token), []);
    const log = (name: string) => readFileSync(join(project.root, '.poly/logs', `${name}.log`), 'utf8');
    assert.match(
      log('stubborn'),
      /^\[poly\] did not stop within 0\.3 s of SIGTERM \(stop_timeout\): killed with SIGKILL$/m,
    );
    // A daemon outside the service's process group that ignores SIGTERM is killed too, and says so.
    assert.match(
      log('stubborn_daemon'),
      /^\[poly\] did not stop within 0\.3 s of SIGTERM \(stop_timeout\): killed with SIGKILL$/m,
    );
    assert.doesNotMatch(log('polite'), /SIGKILL/);
  });
});
