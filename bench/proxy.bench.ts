import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { proxyRequest } from '../src/core/proxy/control.js';
import { proxyLayout, storeLayout } from '../src/core/store/layout.js';
import { freePort } from '../test/helpers/http.js';
import { fixedRate, percentile } from './fixed-rate.js';
import { type Bench, type BenchRow, median } from './lib.js';

const poly = fileURLToPath(new URL('../../bin/run.cjs', import.meta.url));
/** Direct and proxied runs alternate, so a load spike from the shared machine hits both alike. */
const ROUNDS = 3;
const DURATION_S = 3;
const CONNECTIONS = 10;
/** The moderate load of the fixed-rate rounds: well under what either side serves, so p99 is the hop, not a queue. */
const FIXED_RATE = 300;

/** CPU ms a process used so far (Linux: utime + stime from /proc, in clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined || process.platform !== 'linux') return Number.NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A small JSON answer, like a dev API's: the proxy's cost shows instead of the service's. */
const HANDLER = `(q, s) => { s.setHeader('content-type', 'application/json'); s.end('{"ok":true,"service":"bench"}'); }`;
const SERVICE = `require('node:http').createServer(${HANDLER}).listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('up\\n'));`;
/** The same service answering HTTPS itself, with the leaf the proxy issued: what TLS alone costs. */
const TLS_SERVICE = `const pem = require('node:fs').readFileSync(process.env.PEM); require('node:https').createServer({ key: pem, cert: pem }, ${HANDLER}).listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('up\\n'));`;

/** bench/proxy-floor, built once with cargo (its target folder is ignored by git). */
const FLOOR_CRATE = fileURLToPath(new URL('../../bench/proxy-floor/', import.meta.url));

/**
 * The reference proxy's binary, or why there is none: it needs cargo and the
 * crates registry cargo is configured with (never named here).
 */
function buildFloorProxy(): { bin: string } | { why: string } {
  const built = spawnSync(
    'cargo',
    ['build', '--release', '--quiet', '--manifest-path', join(FLOOR_CRATE, 'Cargo.toml')],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    },
  );
  if (built.error) return { why: `cargo: ${built.error.message}` };
  if (built.status !== 0)
    return { why: `cargo build failed: ${built.stderr.trim().split('\n').slice(-3).join(' ')}` };
  return { bin: join(FLOOR_CRATE, 'target', 'release', 'proxy-floor') };
}

function started(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
  });
}

interface Side {
  /** What the load generator talks to, e.g. `https://127.0.0.1:8443/`. */
  url: string;
  /** SNI and Host for a name the proxy routes (and the TLS service's certificate). */
  servername?: string;
  /** The processes whose CPU one request costs on this side. */
  pids: (number | undefined)[];
}

interface Measured {
  rps: number;
  p99: number;
  /** CPU µs per request of each of the side's processes. */
  cpuUs: number[];
  /** CPU µs per request of the load generator (this process). */
  loaderUs: number;
  /** p99 in ms (sub-millisecond) at FIXED_RATE requests/s. */
  fixedP99: number;
}

function load(side: Side, duration: number): Promise<autocannon.Result> {
  const { url, servername } = side;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    ...(servername ? { servername, headers: { host: `${servername}:${new URL(url).port}` } } : {}),
  });
}

/** Medians of the rounds' runs of each side; the rounds alternate the sides. */
async function measureAlternating(sides: Side[]): Promise<Measured[]> {
  const runs = sides.map(() => [] as autocannon.Result[]);
  const cpu: number[][] = sides.map((side) => side.pids.map(() => 0));
  const loaderMs = sides.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, side] of sides.entries()) {
      const before = side.pids.map(cpuMs);
      const loaderBefore = process.cpuUsage();
      const run = await load(side, DURATION_S);
      const loader = process.cpuUsage(loaderBefore);
      loaderMs[i] = (loaderMs[i] ?? 0) + (loader.user + loader.system) / 1000;
      cpu[i] = side.pids.map((pid, k) => (cpu[i]?.[k] ?? 0) + cpuMs(pid) - (before[k] ?? 0));
      if (run.non2xx > 0 || run.errors > 0)
        throw new Error(`${run.non2xx} non-2xx answers and ${run.errors} errors from ${side.url}`);
      runs[i]?.push(run);
    }
  }
  const fixed = await fixedRateAlternating(sides);
  return runs.map((r, i) => {
    const total = r.reduce((n, x) => n + x.requests.total, 0);
    return {
      rps: median(r.map((x) => x.requests.average)),
      p99: median(r.map((x) => x.latency.p99)),
      cpuUs: (cpu[i] ?? []).map((ms) => (ms * 1000) / total),
      loaderUs: ((loaderMs[i] ?? 0) * 1000) / total,
      fixedP99: fixed[i] ?? Number.NaN,
    };
  });
}

/** p99 of each side at FIXED_RATE requests/s, the sides alternating in rounds; samples pooled per side. */
async function fixedRateAlternating(sides: Side[]): Promise<number[]> {
  const samples = sides.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, side] of sides.entries()) {
      const url = new URL(side.url);
      const port = Number(url.port);
      const host = side.servername ? `${side.servername}:${port}` : url.host;
      const target = { port, host, ...(side.servername ? { servername: side.servername } : {}) };
      const { latencies } = await fixedRate(target, {
        rate: FIXED_RATE,
        durationMs: DURATION_S * 1000,
        connections: CONNECTIONS,
      });
      samples[i]?.push(...latencies);
    }
  }
  return samples.map((s) => percentile(s, 99));
}

function loadAverage(): string {
  return `${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`;
}

/**
 * Requests/s and p99 latency through the HTTPS proxy (a real `poly proxy-serve`
 * process, TLS, HTTP/1.1 keep-alive) beside the same service called directly,
 * in one run, the sides alternating so a load spike of the shared machine
 * falls on all of them. Three sides (and a reference), so the ratio is honest about what it
 * compares:
 * - direct: plain HTTP to the service's port (the baseline);
 * - TLS direct: the same handler answering HTTPS itself with the same leaf
 *   certificate (what TLS costs without the proxy's hop);
 * - proxy: HTTPS to the proxy, which forwards plain HTTP to the service;
 * - reference (when cargo builds bench/proxy-floor): HTTPS to a Rust
 *   (tokio-rustls) TLS terminator that only pipes bytes to the service, the
 *   least work any HTTPS proxy does, so the run shows how much of the gap is
 *   the machine's and how much poly's.
 * The proxy's port 80 listener only redirects to https (308), it never
 * forwards, so there is no plain-HTTP proxied side. autocannon runs in this
 * process, which does nothing else during a run (the proxy and the services
 * are their own processes); every side gets the same connections, duration
 * and a warm-up run first. Saturation alone would measure the shared
 * machine's queues, so two figures do not depend on its load: CPU µs per
 * request of each process (from /proc, the load generator's from
 * process.cpuUsage), and p99 at a fixed moderate rate with sub-millisecond
 * timing (bench/fixed-rate.ts). On a saturated machine the requests/s ratio
 * is bounded by CPU per request summed over every process of a side, the
 * load generator's included (it does TLS on the proxied side only, against
 * plain direct); the per-process figures say where the time went.
 */
const bench: Bench = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-proxy-bench-'));
  const [servicePort, tlsPort, proxyPort, floorPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    POLY_HOME: join(dir, 'home'),
    POLY_CONFIG_DIR: join(dir, 'config'),
    POLY_PROXY: 'on',
    POLY_PROXY_PORT: String(proxyPort),
    POLY_PROXY_HTTP_PORT: '0',
  };
  const host = 'api.bench.localhost';
  const paths = proxyLayout(storeLayout(env));
  const children: ChildProcess[] = [];
  const run = (cmd: string, args: string[], extra: NodeJS.ProcessEnv, what: string) => {
    const child = spawn(cmd, args, {
      env: { ...env, ...extra },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return started(child, what).then(() => child);
  };
  const node = (args: string[], extra: NodeJS.ProcessEnv, what: string) =>
    run(process.execPath, args, extra, what);
  const loadBefore = loadAverage();
  try {
    const [service, proxy] = await Promise.all([
      node(['-e', SERVICE], { PORT: String(servicePort) }, 'the service'),
      node([poly, 'proxy-serve'], {}, 'the proxy'),
    ]);
    const routes = {
      root: dir,
      name: 'bench',
      domain: 'bench.localhost',
      pid: process.pid,
      services: [{ name: 'api', hostnames: [host], state: 'healthy' as const, port: servicePort }],
    };
    const published = await proxyRequest(paths.socket, { cmd: 'publish', routes });
    if (!published?.ok) throw new Error('the proxy did not take the route');
    const sides: Side[] = [
      { url: `http://127.0.0.1:${servicePort}/`, pids: [service.pid] },
      { url: `https://127.0.0.1:${tlsPort}/`, servername: host, pids: [] },
      { url: `https://127.0.0.1:${proxyPort}/`, servername: host, pids: [proxy.pid, service.pid] },
    ];
    // Warm the proxy first: its first request for the name issues the leaf the TLS service then serves.
    await load(sides[2] as Side, 1);
    const tlsService = await node(
      ['-e', TLS_SERVICE],
      { PORT: String(tlsPort), PEM: join(paths.leaves, `${host}.pem`) },
      'the TLS service',
    );
    (sides[1] as Side).pids.push(tlsService.pid);
    const floor = buildFloorProxy();
    if ('bin' in floor) {
      const floorProxy = await run(
        floor.bin,
        [],
        { PORT: String(floorPort), UP: String(servicePort), PEM: join(paths.leaves, `${host}.pem`) },
        'the reference proxy',
      );
      sides.push({
        url: `https://127.0.0.1:${floorPort}/`,
        servername: host,
        pids: [floorProxy.pid, service.pid],
      });
    } else console.error(`proxy bench: no reference proxy side (${floor.why})`);
    // The proxy's side was warmed above, before its leaf existed for the others.
    for (const side of sides) if (side !== sides[2]) await load(side, 1);
    const [direct, tlsDirect, proxied, floorSide] = (await measureAlternating(sides)) as [
      Measured,
      Measured,
      Measured,
      Measured | undefined,
    ];
    return rows(
      direct,
      tlsDirect,
      proxied,
      `load average ${loadBefore} before, ${loadAverage()} after`,
      floorSide,
    );
  } finally {
    await proxyRequest(paths.socket, { cmd: 'stop' }).catch(() => undefined);
    for (const child of children) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
};

function rows(
  direct: Measured,
  tlsDirect: Measured,
  proxied: Measured,
  load: string,
  floor?: Measured,
): BenchRow[] {
  const us = (n: number | undefined) => (n ?? Number.NaN).toFixed(0);
  const runs = `medians of ${ROUNDS} alternating ${DURATION_S} s runs, ${CONNECTIONS} connections`;
  const cpu = `CPU per request: proxy ${us(proxied.cpuUs[0])} µs + service ${us(proxied.cpuUs[1])} µs; service direct ${us(direct.cpuUs[0])} µs, TLS direct ${us(tlsDirect.cpuUs[0])} µs; load generator ${us(direct.loaderUs)} µs direct, ${us(tlsDirect.loaderUs)} µs TLS direct, ${us(proxied.loaderUs)} µs via proxy`;
  const fixedAdded = proxied.fixedP99 - direct.fixedP99;
  const fixedTlsAdded = proxied.fixedP99 - tlsDirect.fixedP99;
  const ms = (n: number) => n.toFixed(2);
  // On a saturated 2-core machine requests/s is bounded by the CPU one request costs summed over every
  // process of a side, the load generator's included: this says whether 0.70x fits at all.
  const sum = (m: Measured) => m.cpuUs.reduce((a, b) => a + b, 0) + m.loaderUs;
  const budget = `CPU per request, all processes: direct ${us(sum(direct))} µs, TLS direct ${us(sum(tlsDirect))} µs, via proxy ${us(sum(proxied))} µs (0.70x on saturated cores needs <= ${us(sum(direct) / 0.7)} µs vs direct, <= ${us(sum(tlsDirect) / 0.7)} µs vs TLS direct)`;
  const share = proxied.rps / direct.rps;
  const tlsShare = proxied.rps / tlsDirect.rps;
  const added = proxied.p99 - direct.p99;
  const tlsAdded = proxied.p99 - tlsDirect.p99;
  const reference: BenchRow[] = floor
    ? [
        {
          name: 'reference: requests/s, Rust TLS byte pipe vs plain HTTP direct',
          value: floor.rps / direct.rps,
          unit: 'x',
          target: 'none: the least any HTTPS proxy does on this machine',
          ok: true,
          note: `${Math.round(floor.rps)} req/s (${(floor.rps / tlsDirect.rps).toFixed(2)}x TLS direct); CPU per request: pipe ${us(floor.cpuUs[0])} µs + service ${us(floor.cpuUs[1])} µs, load generator ${us(floor.loaderUs)} µs, all processes ${us(sum(floor))} µs; p99 ${floor.p99} ms, ${ms(floor.fixedP99)} ms at ${FIXED_RATE} req/s`,
        },
      ]
    : [];
  return [
    {
      name: 'proxy: requests/s, HTTPS via proxy vs plain HTTP direct',
      value: share,
      unit: 'x',
      target: '>= 0.70x direct',
      ok: share >= 0.7,
      note: `${Math.round(proxied.rps)} req/s via proxy, ${Math.round(direct.rps)} req/s direct (${runs}); ${cpu}`,
    },
    {
      name: 'proxy: requests/s, HTTPS via proxy vs HTTPS direct',
      value: tlsShare,
      unit: 'x',
      target: '>= 0.70x TLS direct',
      ok: tlsShare >= 0.7,
      note: `${Math.round(tlsDirect.rps)} req/s TLS direct; ${budget}`,
    },
    {
      name: 'proxy: p99 latency added vs plain HTTP direct',
      value: added,
      unit: 'ms',
      baseline: { name: 'direct p99', value: direct.p99 },
      target: '< 2 ms added',
      ok: added < 2,
      note: `p99 ${proxied.p99} ms via proxy; ${load}`,
    },
    {
      name: 'proxy: p99 latency added vs HTTPS direct',
      value: tlsAdded,
      unit: 'ms',
      baseline: { name: 'TLS direct p99', value: tlsDirect.p99 },
      target: '< 2 ms added',
      ok: tlsAdded < 2,
    },
    {
      name: `proxy: p99 added at a fixed ${FIXED_RATE} req/s vs plain HTTP direct`,
      value: fixedAdded,
      unit: 'ms',
      baseline: { name: 'direct p99', value: direct.fixedP99 },
      target: '< 2 ms added',
      ok: fixedAdded < 2,
      note: `p99 ${ms(proxied.fixedP99)} ms via proxy, ${ms(direct.fixedP99)} ms direct, ${ms(tlsDirect.fixedP99)} ms TLS direct (${ROUNDS} alternating ${DURATION_S} s rounds each, pooled)`,
    },
    {
      name: `proxy: p99 added at a fixed ${FIXED_RATE} req/s vs HTTPS direct`,
      value: fixedTlsAdded,
      unit: 'ms',
      baseline: { name: 'TLS direct p99', value: tlsDirect.fixedP99 },
      target: '< 2 ms added',
      ok: fixedTlsAdded < 2,
    },
    ...reference,
  ];
}

export default bench;
