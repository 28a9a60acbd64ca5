import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeServicesProject, processesWithToken, waitFor } from '../../helpers/services-project.js';

const POLY_SH = fileURLToPath(new URL('../../../../bin/poly', import.meta.url));

/**
 * bin/poly as a shell at a terminal starts it: INT, TERM and HUP at their defaults. The
 * test runner may have inherited them ignored, and sh cannot trap an ignored signal (so
 * bin/poly then leaves the run to Node); GNU env resets them.
 */
const asFromATerminal = (args: string[]): [string, string[]] => [
  'env',
  ['--default-signal=INT,TERM,HUP', POLY_SH, ...args],
];

/** Durations differ between any two runs: the rest of a summary line must not. */
const sameButDurations = (text: string) => text.replace(/ +\d+(\.\d)?m?s {2}/g, ' <t>  ');

// bin/poly serves `poly run` from the plan cached in .poly/run/ without Node. To tell
// which path ran, PATH starts with a fake `node` that leaves a marker (the tasks below
// never run node): bin/poly's hand-over to bin/run.cjs starts it, the sh path never does.
describe('bin/poly: poly run without Node from a cached plan', () => {
  const project = makeServicesProject(
    `[tasks.gen]
run = "sh -c 'echo gen $WHO'"
env = { WHO = "w-\${HOME_T:-none}" }

[tasks.build]
run = ["echo built", "printf [%s]"]
depends = ["gen"]

[tasks.flaky]
run = "sh -c 'test ! -e fail-now || { echo failing; exit 3; }'"

[tasks.hang]
run = "sh -c 'test -e hang-now || exit 0; sleep 300 & echo started; wait'"
`,
  );
  const marker = join(project.root, 'node-started');
  const fakeBin = join(project.root, 'fake-bin');
  before(() => {
    mkdirSync(fakeBin);
    writeFileSync(join(fakeBin, 'node'), `#!/bin/sh\n: > '${marker}'\nexec '${process.execPath}' "$@"\n`);
    chmodSync(join(fakeBin, 'node'), 0o755);
  });
  after(() => project.cleanup());

  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    ...project.env,
    CI: '1',
    HOME_T: '/h',
    PATH: `${fakeBin}:${process.env.PATH}`,
    ...extra,
  });
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    rmSync(marker, { force: true });
    const r = spawnSync(...asFromATerminal(['run', ...args]), {
      cwd: project.root,
      env: env(extra),
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout, err: r.stderr, node: existsSync(marker) };
  };
  /** The same command through Node (POLY_NO_SH_RUN) and through sh: the same output and exit code. */
  const bothPaths = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const viaNode = run(args, { ...extra, POLY_NO_SH_RUN: '1' });
    const viaSh = run(args, extra);
    assert.equal(viaNode.node, true, 'POLY_NO_SH_RUN starts Node');
    assert.equal(viaSh.node, false, `served without Node:\n${viaSh.out}${viaSh.err}`);
    assert.equal(viaSh.code, viaNode.code);
    assert.equal(sameButDurations(viaSh.out), sameButDurations(viaNode.out));
    assert.equal(viaSh.err, viaNode.err);
    return viaSh;
  };

  it('the first run goes through Node and caches the plan; the next is the same without Node', () => {
    const first = run(['build']);
    assert.equal(first.code, 0, first.out + first.err);
    assert.equal(first.node, true);
    assert.ok(existsSync(join(project.root, '.poly', 'run', 'build.sh')));
    const r = bothPaths(['build', 'a', 'b c', "it's"]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^gen {3}\| gen w-\/h$/m);
    assert.match(r.out, /^build \| \$ printf \[%s\] a 'b c' 'it'\\''s'$/m);
    assert.match(r.out, /^build \| \[a\]\[b c\]\[it's\]$/m);
    assert.match(r.out, /^✓ gen +\d+m?s {2}passed\n✓ build +\d+m?s {2}passed\n$/m);
  });

  it('a failing command: the same summary, error and exit code on both paths', () => {
    assert.equal(run(['flaky']).code, 0);
    writeFileSync(join(project.root, 'fail-now'), '');
    const r = bothPaths(['flaky']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^flaky \| failing$/m);
    assert.match(r.out, /^✗ flaky +\d+m?s {2}failed: exited with code 3$/m);
    assert.equal(
      r.err,
      'error: 1 of 1 tasks failed: flaky\nhint: The output above shows why; `poly run flaky` runs one again.\n',
    );
    rmSync(join(project.root, 'fail-now'));
  });

  it('Node serves what sh cannot: a flag, a changed poly.toml, a changed host variable', () => {
    assert.equal(run(['build', '--dry-run']).node, true);
    assert.equal(run(['build'], { HOME_T: '/other' }).node, true, 'interpolation read HOME_T');
    const changed = run(['build'], { HOME_T: '/other' });
    assert.match(changed.out, /gen w-\/other/);
    // poly.toml edited after the plan was cached
    const earlier = new Date(Date.now() - 3600_000);
    utimesSync(join(project.root, '.poly', 'run', 'build.sh'), earlier, earlier);
    assert.equal(run(['build']).node, true, 'poly.toml is newer than the plan');
    assert.equal(run(['build']).node, false, 'that run cached the plan again');
  });

  it('Ctrl-C stops the task group and exits 130, as the Node path does', async () => {
    assert.equal(run(['hang']).code, 0);
    writeFileSync(join(project.root, 'hang-now'), '');
    rmSync(marker, { force: true });
    const child = spawn(...asFromATerminal(['run', 'hang']), {
      cwd: project.root,
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    await waitFor(
      'the task',
      () => /hang \| started/.test(out) && processesWithToken(project.token).length >= 2,
      20_000,
    );
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 130, out + err);
    assert.equal(existsSync(marker), false, 'served by sh');
    assert.match(out, /^- hang {10}cancelled$/m);
    assert.equal(err, 'poly: stopped; every task was ended\n');
    assert.deepEqual(processesWithToken(project.token), []);
  });

  it('killed with SIGKILL, the watchdog ends the task group', async () => {
    const child = spawn(...asFromATerminal(['run', 'hang']), {
      cwd: project.root,
      env: env(),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    await waitFor(
      'the task',
      () => /hang \| started/.test(out) && processesWithToken(project.token).length >= 2,
      20_000,
    );
    child.kill('SIGKILL');
    await once(child, 'exit');
    await waitFor('the group to end', () => processesWithToken(project.token).length === 0, 15_000).catch(
      () => {},
    );
    assert.deepEqual(processesWithToken(project.token), []);
    rmSync(join(project.root, 'hang-now'));
  });
});
