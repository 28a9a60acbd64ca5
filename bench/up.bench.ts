import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_CHECK_GRACE_MS } from '../src/core/supervisor/status.js';
import { startServices } from '../src/services/up/up.js';
import { testContext } from '../test/helpers/context.js';
import { type Bench, type BenchRow, median } from './lib.js';

const poly = fileURLToPath(new URL('../../bin/run.cjs', import.meta.url));

/**
 * A trivial service: busybox httpd serving one file (starts in about a
 * millisecond), else a node one-liner. Its own start time is measured by
 * starting the same commands without poly, in parallel, and polling them
 * every 2 ms until all answer.
 */
function trivialRun(): string {
  try {
    execFileSync('busybox', ['httpd', '--help'], { stdio: 'ignore' });
    return 'exec busybox httpd -f -p 127.0.0.1:$PORT -h www';
  } catch {
    return `exec node -e "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT,'127.0.0.1')"`;
  }
}

function makeProject(count: number, run: string): string {
  const root = mkdtempSync(join(tmpdir(), 'poly-bench-up-'));
  mkdirSync(join(root, 'www'));
  writeFileSync(join(root, 'www', 'index.html'), 'ok');
  const services = Array.from(
    { length: count },
    (_, i) => `[services.s${i}]\nrun = ${JSON.stringify(run)}\nport = "auto"\nhealth = "/"\n`,
  );
  writeFileSync(join(root, 'poly.toml'), `[project]\nname = "bench"\n\n${services.join('\n')}`);
  return root;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 500 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) < 400);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** The services' own start time: the same commands started directly, in parallel, until all answer. */
async function directStart(root: string, run: string, ports: number[]): Promise<number> {
  const started = performance.now();
  const children: ChildProcess[] = ports.map((port) =>
    spawn('/bin/sh', ['-c', run], {
      cwd: root,
      env: { ...process.env, PORT: String(port) },
      stdio: 'ignore',
    }),
  );
  await Promise.all(
    ports.map(async (port) => {
      while (!(await answers(port))) await new Promise((r) => setTimeout(r, 2));
    }),
  );
  const took = performance.now() - started;
  for (const child of children) child.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 100));
  return took;
}

async function overhead(count: number, runs: number): Promise<{ poly: number; own: number }> {
  const run = trivialRun();
  const root = makeProject(count, run);
  const polyTimes: number[] = [];
  const ownTimes: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const up = await startServices({ cwd: root, services: [], ctx: testContext(process.env) });
      const settled = await up.supervisor.settled();
      polyTimes.push(performance.now() - started);
      const ports = up.supervisor.status().map((s) => s.port as number);
      await up.stop();
      if (!settled.ok)
        throw new Error(`service ${settled.status.name} did not start: ${settled.status.message}`);
      ownTimes.push(await directStart(root, run, ports));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { poly: median(polyTimes), own: median(ownTimes) };
}

/** RSS of a detached supervisor (`poly up -d`) running `count` services. */
function supervisorRss(count: number): number {
  const root = makeProject(count, trivialRun());
  const env = { ...process.env, POLY_HOME: join(root, '.home'), POLY_CONFIG_DIR: join(root, '.config') };
  try {
    const out = execFileSync(process.execPath, [poly, 'up', '-d', '--json'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    const { supervisorPid } = JSON.parse(out) as { supervisorPid: number };
    const status = readFileSync(`/proc/${supervisorPid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } finally {
    execFileSync(process.execPath, [poly, 'down'], { cwd: root, env, stdio: 'ignore' });
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * One `poly up -d` + `poly down` cycle of a one-service project (`exec sleep
 * 300`, no check), the CLI as a user runs it: three node start-ups (up -d, its
 * supervisor, down), the no-check grace period (NO_CHECK_GRACE_MS: up -d
 * returns once the service has stayed up that long) and the stop. The
 * baseline is node itself doing the same job in one process: `node -e` that
 * starts the same command in its own process group, keeps it up for the same
 * grace period, stops it with SIGTERM and waits for it to end.
 */
function upDownCycle(runs: number): { poly: number; own: number } {
  const root = mkdtempSync(join(tmpdir(), 'poly-bench-cycle-'));
  writeFileSync(join(root, 'poly.toml'), '[services.sleeper]\nrun = "exec sleep 300"\n');
  const env = {
    ...process.env,
    POLY_HOME: join(root, '.home'),
    POLY_CONFIG_DIR: join(root, '.config'),
    POLY_PROXY: 'off',
  };
  const baseline = `const c = require('node:child_process').spawn('/bin/sh', ['-c', 'exec sleep 300'], { detached: true, stdio: 'ignore' });
setTimeout(() => { process.kill(-c.pid, 'SIGTERM'); }, ${NO_CHECK_GRACE_MS});
c.on('exit', () => process.exit(0));`;
  const polyTimes: number[] = [];
  const ownTimes: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      let started = performance.now();
      execFileSync(process.execPath, [poly, 'up', '-d'], { cwd: root, env, stdio: 'ignore' });
      execFileSync(process.execPath, [poly, 'down'], { cwd: root, env, stdio: 'ignore' });
      polyTimes.push(performance.now() - started);
      started = performance.now();
      execFileSync(process.execPath, ['-e', baseline], { cwd: root, stdio: 'ignore' });
      ownTimes.push(performance.now() - started);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { poly: median(polyTimes), own: median(ownTimes) };
}

const bench: Bench = async () => {
  const rows: BenchRow[] = [];
  const cycle = upDownCycle(5);
  const ratio = cycle.poly / cycle.own;
  rows.push({
    name: 'poly up -d + poly down, one service without a check',
    value: cycle.poly,
    unit: 'ms',
    baseline: { name: 'node -e: start, stay up the grace period, stop', value: cycle.own },
    target: '<= 2.5x the baseline',
    ok: ratio <= 2.5,
    note: `(${ratio.toFixed(2)}x; three node start-ups and the ${NO_CHECK_GRACE_MS} ms grace period)`,
  });
  const five = await overhead(5, 5);
  const fifty = await overhead(50, 3);
  const over5 = five.poly - five.own;
  const over50 = fifty.poly - fifty.own;
  rows.push({
    name: 'poly up overhead, 5 trivial services',
    value: over5,
    unit: 'ms',
    baseline: { name: 'own start, direct', value: five.own },
    target: '<= 300 ms',
    ok: over5 <= 300,
    note: `(all healthy after ${five.poly.toFixed(1)} ms)`,
  });
  // Linear growth: 10x the services may cost at most 10x the 5-service overhead, taken as at
  // least 30 ms so that a lucky 5-service run does not turn timer noise into a miss.
  const linear = Math.max(over5, 30) * 10;
  rows.push({
    name: 'poly up overhead, 50 trivial services',
    value: over50,
    unit: 'ms',
    baseline: { name: 'own start, direct', value: fifty.own },
    target: `<= 10x the 5-service overhead (${linear.toFixed(0)} ms)`,
    ok: over50 <= linear,
    note: `(all healthy after ${fifty.poly.toFixed(1)} ms)`,
  });
  if (process.platform === 'linux') {
    const rss = supervisorRss(20);
    rows.push({
      name: 'supervisor RSS with 20 services (poly up -d)',
      value: rss,
      unit: 'MB',
      target: '<= 100 MB',
      ok: rss <= 100,
    });
  }
  return rows;
};
export default bench;
