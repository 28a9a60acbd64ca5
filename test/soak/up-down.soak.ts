/**
 * The soak test of issue #17: `poly up -d` / `poly down` cycles of a
 * five-service project (an HTTP service, a quiet worker, a crash-looping
 * service, a daemonizing one and a container), then nothing of it may be
 * left: no process, container, network, supervisor, watchdog, socket, lock
 * or temp folder. Not part of `npm test` (it runs for minutes): run it with
 * `npm run test:soak`; POLY_SOAK_CYCLES sets the count (default 200) and the
 * whole run must stay within POLY_SOAK_BUDGET_S (default 600).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LABEL_ROOT } from '../../src/core/docker/labels.js';
import { projectLayout } from '../../src/core/store/layout.js';
import { projectMarkerKey } from '../../src/core/supervisor/process-tree.js';
import { dockerForTests } from '../helpers/docker.js';
import { BUSYBOX_TEST_IMAGE, busyboxTestImage } from '../helpers/docker-images.js';
import { polyIn } from '../helpers/poly-cli.js';
import { makeServicesProject, nodeService, processesWithToken } from '../helpers/services-project.js';

// The issue asks for 200 cycles in 10 minutes. A cycle used to take about 10 s on this project's shared
// 2-core machine (16 s at load average 19): four poly processes each loaded oclif, and the supervisor did not
// exit after down until the web service's next health check. See the commit that made them fast paths.
const CYCLES = Number(process.env.POLY_SOAK_CYCLES ?? 200);
const BUDGET_S = Number(process.env.POLY_SOAK_BUDGET_S ?? 600);
const { client, skip } = await dockerForTests();

const manifest = `[services.web]
path = "web"
run = "node server.js"
port = "auto"
health = "/health"

[services.worker]
run = "exec sleep 300"

[services.crasher]
run = "echo crash; exit 3"

[services.daemon]
run = "sh -c 'setsid sh -c \\"exec sleep 300\\" &' ; exec sleep 301"
stop_timeout = "2s"

[services.box]
image = "${BUSYBOX_TEST_IMAGE}"
run = "trap 'exit 0' TERM; httpd -f -p 8080 -h / & wait"
port = 8080
stop_timeout = "1s"
`;

/** Processes that belong to the project without carrying its [env]: supervisors and watchdogs. */
function projectMachinery(root: string): string[] {
  const key = `${projectMarkerKey(root)}/`;
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const supervisor = args.includes('supervise') && args.includes(root);
    const watchdog = args.includes('poly-watchdog') && args.some((a) => a.startsWith(key));
    const containerWatchdog =
      args.some((a) => a.endsWith('container-watchdog-main.js')) && args.includes(root);
    if (supervisor || watchdog || containerWatchdog) found.push(`${entry} ${args.join(' ').trim()}`);
  }
  return found;
}

describe(`soak: ${CYCLES} cycles of poly up -d / poly down`, { skip }, () => {
  const project = makeServicesProject(manifest, { 'web/server.js': nodeService() });
  const layout = projectLayout(project.root);
  before(() => busyboxTestImage(client));
  after(() => project.cleanup());

  it('leaves nothing behind', { timeout: (BUDGET_S + 120) * 1000 }, async () => {
    const started = Date.now();
    const failures: string[] = [];
    for (let i = 0; i < CYCLES; i++) {
      const up = await polyIn(project.env, project.root, ['up', '-d']);
      // The crash loop is the one expected failure; anything else is a finding.
      if (up.code !== 1 || !/service crasher is crash-loop/.test(up.stderr))
        failures.push(`cycle ${i} up: exit ${up.code}: ${up.stderr.trim().split('\n')[0]}`);
      const down = await polyIn(project.env, project.root, ['down']);
      if (down.code !== 0 || !down.stdout.startsWith('Stopped '))
        failures.push(`cycle ${i} down: exit ${down.code}: ${down.stdout}${down.stderr}`);
      const stray = processesWithToken(project.token).map((p) => `${p.pid} ${p.cmd}`);
      if (stray.length) failures.push(`cycle ${i}: left running: ${stray.join('; ')}`);
      if (failures.length >= 5) break;
      // Progress: a run stopped by its timeout still says how fast it went.
      if ((i + 1) % 20 === 0)
        console.log(`# soak: ${i + 1} cycles after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `# soak: ${CYCLES} cycles in ${seconds.toFixed(0)} s (${((seconds / CYCLES) * 1000).toFixed(0)} ms per cycle)`,
    );
    assert.deepEqual(failures, []);

    assert.deepEqual(processesWithToken(project.token), []);
    assert.deepEqual(projectMachinery(project.root), []);
    const filters = { label: [`${LABEL_ROOT}=${project.root}`] };
    assert.deepEqual(await client!.api.listContainers({ all: true, filters }), []);
    assert.deepEqual(await client!.api.listNetworks({ filters }), []);
    // No temp folder, lock, socket or state of a supervisor left.
    assert.equal(existsSync(layout.socket), false, 'the control socket is left');
    assert.equal(existsSync(layout.supervisorFile), false, 'the state file is left');
    assert.deepEqual(
      readdirSync(layout.state).filter((f) => f !== 'ports.json'),
      [],
      'temp files or locks left in .poly/state',
    );
    const tmp = join(project.env.POLY_HOME as string, 'tmp');
    assert.deepEqual(existsSync(tmp) ? readdirSync(tmp) : [], [], 'temp folders left in $POLY_HOME/tmp');
    assert.ok(seconds <= BUDGET_S, `${CYCLES} cycles took ${seconds.toFixed(0)} s, more than ${BUDGET_S} s`);
  });
});
