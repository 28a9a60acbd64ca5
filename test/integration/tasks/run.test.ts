import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { POLY_BIN } from '../../helpers/env-sandbox.js';
import { makeServicesProject, processesWithToken, waitFor } from '../../helpers/services-project.js';

function poly(project: { root: string; env: NodeJS.ProcessEnv }, ...args: string[]) {
  const r = spawnSync(process.execPath, [POLY_BIN, ...args], {
    cwd: project.root,
    env: { ...project.env, CI: '1' },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('poly run: order, parallelism, failures', () => {
  const project = makeServicesProject(
    `[tasks.gen]
run = "node stamp.js gen"

[tasks.ci]
depends = ["test"]

[services.api]
path = "api"
run = "sleep 100"
port = 4311
env = { API_MODE = "dev" }

[services.api.tasks]
test = { run = ["node ../stamp.js api:test", "node ../args.js"], depends = ["gen"] }

[services.web]
path = "web"
run = "sleep 100"

[services.web.tasks]
test = { run = "node ../fail.js", env = { WHO = "web" } }
`,
    {
      'api/.keep': '',
      'web/.keep': '',
      // Appends "<task> <hrtime>" to order.log: the order the tasks really ran in.
      'stamp.js': `require('fs').appendFileSync(require('path').join(process.env.ROOT, 'order.log'), process.argv[2] + ' ' + process.hrtime.bigint() + '\\n');`,
      'args.js': `console.log('args=' + JSON.stringify(process.argv.slice(2)) + ' port=' + process.env.PORT + ' mode=' + process.env.API_MODE);`,
      'fail.js': `console.error(process.env.WHO + ' is broken'); process.exit(4);`,
    },
  );
  project.env.ROOT = project.root;
  after(() => project.cleanup());

  it('runs dependencies first, in the service folder and environment, and names the failed task', () => {
    const r = poly(project, 'run', 'test', '--', '--flag', 'two words');
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.err, /error: 1 of 3 tasks failed: web:test/);
    assert.match(r.out, /^web:test \| web is broken$/m);
    // Arguments reach the last command as an array, and the service's own environment is there.
    assert.match(r.out, /^api:test \| args=\["--flag","two words"\] port=4311 mode=dev$/m);
    assert.match(r.out, /✓ api:test .* passed/);
    assert.match(r.out, /✗ web:test .* failed: exited with code 4/);
    const order = readFileSync(join(project.root, 'order.log'), 'utf8').trim().split('\n');
    const at = (name: string) => BigInt(order.find((l) => l.startsWith(`${name} `))?.split(' ')[1] ?? '0');
    assert.ok(at('gen') > 0n && at('gen') < at('api:test'), order.join('\n'));
  });

  it('skips what depends on a failure, and --service narrows the run', () => {
    const r = poly(project, 'run', 'ci');
    assert.equal(r.code, 1);
    assert.match(r.out, /- ci .*skipped \(web:test did not pass\)/);
    const one = poly(project, 'run', 'test', '--service', 'api');
    assert.equal(one.code, 0, one.out + one.err);
    assert.doesNotMatch(one.out, /web:test/);
  });

  it('--output grouped prints each task as one block; --dry-run runs nothing', () => {
    rmSync(join(project.root, 'order.log'), { force: true });
    const dry = poly(project, 'run', '--dry-run', 'ci');
    assert.equal(dry.code, 0);
    assert.match(dry.out, /1\. gen .*\n.*\n 2\. api:test +\(after gen\)/);
    assert.equal(existsSync(join(project.root, 'order.log')), false);
    const grouped = poly(project, 'run', '--output', 'grouped', 'web:test');
    assert.match(
      grouped.out,
      /── web:test \(failed: exited with code 4\) ──\n\$ node \.\.\/fail\.js\nweb is broken\n/,
    );
  });

  it('an unknown task is a usage error with a suggestion', () => {
    const r = poly(project, 'run', 'tset');
    assert.equal(r.code, 2);
    assert.match(r.err, /no task "tset"[\s\S]*Did you mean "test"\?/);
  });
});

describe('poly run: independent tasks run at the same time', () => {
  // Each waits (at most 20 s) for the other's marker: with -j 2 both pass, one at a time cannot.
  const project = makeServicesProject(
    `[tasks.a]
run = "node meet.js a b"

[tasks.b]
run = "node meet.js b a"

[tasks.both]
depends = ["a", "b"]
`,
    {
      'meet.js': `const fs = require('fs');
const [mine, other] = process.argv.slice(2);
fs.writeFileSync(mine + '.started', '');
const t = Date.now();
const i = setInterval(() => {
  if (fs.existsSync(other + '.started')) { clearInterval(i); console.log('saw ' + other); }
  else if (Date.now() - t > 20000) process.exit(9);
}, 20);
`,
    },
  );
  after(() => project.cleanup());

  it('with -j 2', () => {
    const r = poly(project, 'run', '-j', '2', 'both');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^a +\| saw b$/m);
    assert.match(r.out, /^b +\| saw a$/m);
  });
});

describe('poly run: sources and outputs', () => {
  const project = makeServicesProject(
    `[tasks.build]
run = "sh -c 'echo run >> runs.log; mkdir -p out; cp src/in.txt out/in.txt'"
sources = ["src/**"]
outputs = ["out/*.txt"]
`,
    { 'src/in.txt': 'one' },
  );
  after(() => project.cleanup());
  const runs = () => readFileSync(join(project.root, 'runs.log'), 'utf8').trim().split('\n').length;

  it('skips an up-to-date task, runs again when a source changes or an output is gone', () => {
    assert.equal(poly(project, 'run', 'build').code, 0);
    const second = poly(project, 'run', 'build');
    assert.equal(second.code, 0);
    assert.match(second.out, /✓ build +skipped \(up to date\)/);
    assert.equal(runs(), 1);
    const future = new Date(Date.now() + 5000);
    utimesSync(join(project.root, 'src/in.txt'), future, future);
    assert.equal(poly(project, 'run', 'build').code, 0);
    assert.equal(runs(), 2);
    rmSync(join(project.root, 'out'), { recursive: true });
    assert.equal(poly(project, 'run', 'build').code, 0);
    assert.equal(runs(), 3);
    assert.match(poly(project, 'run', '--dry-run', 'build').out, /build +\(up to date, skipped\)/);
  });
});

describe('poly run: Ctrl-C', () => {
  const project = makeServicesProject(
    `[tasks.hang]
run = "sh -c 'sleep 300 & sleep 301 & echo started; wait'"

[tasks.other]
run = "node forever.js"

[tasks.all]
depends = ["hang", "other"]
`,
    { 'forever.js': "console.log('started'); setInterval(() => {}, 1000);" },
  );
  after(() => project.cleanup());

  it('stops every task and everything it started', async () => {
    const child = spawn(process.execPath, [POLY_BIN, 'run', '-j', '2', 'all'], {
      cwd: project.root,
      env: { ...project.env, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    try {
      await waitFor(
        'both tasks',
        () => (out.match(/\| started/g) ?? []).length >= 2 && processesWithToken(project.token).length >= 4,
        20_000,
      );
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 130, out);
    assert.deepEqual(processesWithToken(project.token), []);
    assert.match(out, /- hang +cancelled/);
  });
});

describe('poly run --fail-fast', () => {
  const project = makeServicesProject(
    `[tasks.slow]
run = "node forever.js"

[tasks.broken]
run = "node -e process.exit(5)"

[tasks.all]
depends = ["slow", "broken"]
`,
    { 'forever.js': "console.log('started'); setInterval(() => {}, 1000);" },
  );
  after(() => project.cleanup());

  it('stops the other tasks at the first failure', () => {
    const r = poly(project, 'run', '-j', '2', '--fail-fast', 'all');
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.err, /tasks failed: broken/);
    assert.match(r.out, /- slow +cancelled/);
    assert.deepEqual(processesWithToken(project.token), []);
  });
});
