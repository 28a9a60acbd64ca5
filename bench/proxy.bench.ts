import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { proxyRequest } from '../src/core/proxy/control.js';
import { proxyLayout, storeLayout } from '../src/core/store/layout.js';
import { freePort } from '../test/helpers/http.js';
import { type Bench, type BenchRow, median } from './lib.js';

const poly = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
/** Direct and proxied runs alternate, so a load spike from the shared machine hits both alike. */
const ROUNDS = 3;
const DURATION_S = 3;
const CONNECTIONS = 10;

/** CPU ms a process used so far (Linux: utime + stime from /proc, in clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined || process.platform !== 'linux') return Number.NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A small JSON answer, like a dev API's: the proxy's cost shows instead of the service's. */
const SERVICE = `require('node:http').createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end('{"ok":true,"service":"bench"}'); }).listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('up\\n'));`;

function started(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
  });
}

async function load(url: string, servername?: string): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    ...(servername ? { servername, headers: { host: `${servername}:${new URL(url).port}` } } : {}),
  });
}

/**
 * Requests/s and p99 latency through the HTTPS proxy (TLS, HTTP/1.1 keep-alive,
 * a real `poly proxy-serve` process) beside the same service called directly,
 * in one run: the proxy's throughput as a share of direct, and the p99 it adds.
 */
const bench: Bench = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-proxy-bench-'));
  const servicePort = await freePort();
  const proxyPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    POLY_HOME: join(dir, 'home'),
    POLY_CONFIG_DIR: join(dir, 'config'),
    POLY_PROXY: 'on',
    POLY_PROXY_PORT: String(proxyPort),
    POLY_PROXY_HTTP_PORT: '0',
  };
  const service = spawn(process.execPath, ['-e', SERVICE], { env: { ...env, PORT: String(servicePort) } });
  const proxy = spawn(process.execPath, [poly, 'proxy-serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await Promise.all([started(service, 'the service'), started(proxy, 'the proxy')]);
    const host = 'api.bench.localhost';
    const socket = proxyLayout(storeLayout(env)).socket;
    const routes = {
      root: dir,
      name: 'bench',
      domain: 'bench.localhost',
      pid: process.pid,
      services: [{ name: 'api', hostnames: [host], state: 'healthy' as const, port: servicePort }],
    };
    const published = await proxyRequest(socket, { cmd: 'publish', routes });
    if (!published?.ok) throw new Error('the proxy did not take the route');

    // Warm both paths (JIT, the leaf certificate, kept-alive upstream sockets), then measure.
    await autocannon({ url: `http://127.0.0.1:${servicePort}/`, connections: CONNECTIONS, duration: 1 });
    await autocannon({
      url: `https://127.0.0.1:${proxyPort}/`,
      connections: CONNECTIONS,
      duration: 1,
      servername: host,
      headers: { host: `${host}:${proxyPort}` },
    });
    const directRuns: autocannon.Result[] = [];
    const proxiedRuns: autocannon.Result[] = [];
    let proxyCpu = 0;
    let serviceCpu = 0;
    for (let round = 0; round < ROUNDS; round++) {
      directRuns.push(await load(`http://127.0.0.1:${servicePort}/`));
      const before = { proxy: cpuMs(proxy.pid), service: cpuMs(service.pid) };
      const run = await load(`https://127.0.0.1:${proxyPort}/`, host);
      proxyCpu += cpuMs(proxy.pid) - before.proxy;
      serviceCpu += cpuMs(service.pid) - before.service;
      if (run.non2xx > 0 || run.errors > 0)
        throw new Error(`${run.non2xx} non-2xx answers and ${run.errors} errors through the proxy`);
      proxiedRuns.push(run);
    }
    const direct = {
      rps: median(directRuns.map((r) => r.requests.average)),
      p99: median(directRuns.map((r) => r.latency.p99)),
    };
    const proxied = {
      rps: median(proxiedRuns.map((r) => r.requests.average)),
      p99: median(proxiedRuns.map((r) => r.latency.p99)),
    };
    const share = proxied.rps / direct.rps;
    const proxiedRequests = proxiedRuns.reduce((n, r) => n + r.requests.total, 0);
    // CPU per request does not depend on how loaded the shared machine is: it says what the proxy costs.
    const perRequest = (ms: number) => ((ms * 1000) / proxiedRequests).toFixed(0);
    const addedP99 = proxied.p99 - direct.p99;
    const rows: BenchRow[] = [
      {
        name: `proxy: requests/s through HTTPS proxy vs direct (${CONNECTIONS} conns)`,
        value: share,
        unit: 'x',
        target: '>= 0.70x direct',
        ok: share >= 0.7,
        note: `${Math.round(proxied.rps)} req/s via proxy, ${Math.round(direct.rps)} req/s direct (medians of ${ROUNDS} alternating ${DURATION_S} s runs); CPU per request: proxy ${perRequest(proxyCpu)} µs, service ${perRequest(serviceCpu)} µs`,
      },
      {
        name: 'proxy: p99 latency added by the HTTPS proxy',
        value: addedP99,
        unit: 'ms',
        baseline: { name: 'direct p99', value: direct.p99 },
        target: '< 2 ms added',
        ok: addedP99 < 2,
        note: `p99 ${proxied.p99} ms via proxy; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`,
      },
    ];
    return rows;
  } finally {
    await proxyRequest(proxyLayout(storeLayout(env)).socket, { cmd: 'stop' }).catch(() => undefined);
    service.kill();
    proxy.kill();
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;
