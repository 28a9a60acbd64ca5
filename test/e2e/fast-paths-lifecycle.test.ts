import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runPoly, tempHome } from '../helpers/poly-cli.js';
import { throughOclif } from '../helpers/through-oclif.js';

/** Pids and uptimes differ between two runs; everything else must be the same bytes. */
function masked(text: string): string {
  return text.replace(/\b\d{2,}\b/g, 'N').replace(/\b\d+s\b/g, 'Ns');
}

describe('poly up -d and poly down served before oclif print what oclif prints', () => {
  const home = tempHome();
  after(home.cleanup);
  const project = join(home.dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'poly.toml'), '[services.sleeper]\nrun = "exec sleep 300"\n');
  const crashing = join(home.dir, 'crashing');
  mkdirSync(crashing);
  writeFileSync(join(crashing, 'poly.toml'), '[services.boom]\nrun = "echo boom; exit 3"\n');
  const env = home.env;

  it('down with nothing running', async () => {
    const [fast, oclif] = await Promise.all([
      runPoly(['down'], { cwd: project, env }),
      throughOclif(['down'], project, env),
    ]);
    assert.deepEqual(fast, oclif);
    assert.deepEqual(fast, { exitCode: 0, stdout: 'Nothing was running.', stderr: '' });
  });

  it('up -d, then down (both ways in turn)', async () => {
    const fastUp = await runPoly(['up', '-d'], { cwd: project, env });
    const fastDown = await runPoly(['down'], { cwd: project, env });
    const oclifUp = await throughOclif(['up', '-d'], project, env);
    const oclifDown = await throughOclif(['down'], project, env);
    assert.equal(fastUp.exitCode, 0, fastUp.stderr);
    assert.match(fastUp.stdout, /^sleeper +healthy +native/m);
    assert.deepEqual(
      { ...fastUp, stdout: masked(fastUp.stdout) },
      { ...oclifUp, stdout: masked(oclifUp.stdout) },
    );
    assert.deepEqual(fastDown, { exitCode: 0, stdout: 'Stopped sleeper.', stderr: '' });
    assert.deepEqual(oclifDown, fastDown);
  });

  it('up -d --json and down --json', async () => {
    const up = await runPoly(['up', '--json', '-d'], { cwd: project, env });
    const down = await runPoly(['down', '--json'], { cwd: project, env });
    assert.equal(up.exitCode, 0, up.stderr);
    const result = JSON.parse(up.stdout) as {
      project: string;
      services: Array<{ name: string; state: string }>;
    };
    assert.equal(result.project, project);
    assert.deepEqual(
      result.services.map((s) => [s.name, s.state]),
      [['sleeper', 'healthy']],
    );
    assert.equal(up.stdout, `${JSON.stringify(JSON.parse(up.stdout), null, 2)}`);
    assert.deepEqual(JSON.parse(down.stdout), { project, stopped: true, services: ['sleeper'] });
  });

  it('a service that does not start: the same error and exit code', async () => {
    const fast = await runPoly(['up', '-d'], { cwd: crashing, env });
    await runPoly(['down'], { cwd: crashing, env });
    const oclif = await throughOclif(['up', '-d'], crashing, env);
    await runPoly(['down'], { cwd: crashing, env });
    assert.equal(fast.exitCode, 1);
    assert.match(fast.stderr, /^error: service boom is crash-loop/);
    assert.deepEqual(fast, oclif);
  });

  it('flags only oclif knows (and --help) go to oclif', async () => {
    const help = await runPoly(['up', '-d', '--help'], { cwd: project, env });
    assert.match(help.stdout, /^Start the project's services/);
    const unknown = await runPoly(['down', '--bogus'], { cwd: project, env });
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /Nonexistent flag: --bogus/);
  });
});
