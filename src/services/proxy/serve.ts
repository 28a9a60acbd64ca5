import { rmSync } from 'node:fs';
import type { PolyContext } from '../../core/context.js';
import { PolyError } from '../../core/errors.js';
import { ensureLocalCa } from '../../core/proxy/ca.js';
import {
  type ProxyRequest,
  type ProxyResponse,
  type ProxyStatus,
  serveProxyControl,
} from '../../core/proxy/control.js';
import { proxySettings } from '../../core/proxy/proxy-settings.js';
import { parseProjectRoutes } from '../../core/proxy/routes.js';
import { ProxyServer } from '../../core/proxy/server.js';
import { writeFileAtomic } from '../../core/store/atomic-write.js';
import { proxyLayout } from '../../core/store/layout.js';
import { isProcessRunning } from '../../core/supervisor/process-alive.js';

/** How long the proxy outlives the last running project (POLY_PROXY_IDLE_MS changes it, for tests). */
const IDLE_EXIT_MS = 60_000;
/** A proxy nobody publishes to (its starter died) does not stay around either. */
const FIRST_PUBLISH_MS = 30_000;
const LIVENESS_CHECK_MS = 1000;

/**
 * The body of the hidden `poly proxy-serve`, started detached by the first
 * supervisor that needs it: serves HTTPS for every project of this store
 * until no project has run for a while, or `stop` / a signal.
 */
export async function serveProxy(ctx: PolyContext): Promise<void> {
  const { env } = ctx;
  const paths = proxyLayout(ctx.layout);
  const settings = proxySettings(env, ctx.host);
  const ca = await ensureLocalCa(paths, env);
  const server = new ProxyServer({
    ca,
    leavesDir: paths.leaves,
    host: settings.host,
    httpsPort: settings.httpsPort,
    ...(settings.httpPort !== undefined ? { httpPort: settings.httpPort } : {}),
  });
  await server.listen().catch((err: NodeJS.ErrnoException) => {
    throw new PolyError('PROXY_PORT', `the HTTPS proxy cannot listen: ${err.message}`, {
      hint: 'Another program holds the port: choose others with `poly config set proxy.port <port>` and `poly config set proxy.http_port <port>`.',
      cause: err,
    });
  });
  const idleMs = idleExitMs(env);
  const startedAt = Date.now();
  const status = (): ProxyStatus => ({
    pid: process.pid,
    host: settings.host,
    httpsPort: settings.httpsPort,
    ...(settings.httpPort !== undefined ? { httpPort: settings.httpPort } : {}),
    startedAt,
    projects: server.projects(),
  });

  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  let published = false;
  let idleSince = Date.now();
  const checkIdle = () => {
    const live = server.live(isProcessRunning);
    if (live.length > 0) {
      idleSince = Date.now();
      return;
    }
    if (Date.now() - idleSince >= (published ? idleMs : Math.max(idleMs, FIRST_PUBLISH_MS))) stop();
  };
  const handle = (request: ProxyRequest): ProxyResponse => {
    if (request.cmd === 'publish') {
      const routes = parseProjectRoutes(request.routes);
      if (!routes) return { ok: false, error: 'malformed routes' };
      server.publish(routes);
      published = true;
    } else if (request.cmd === 'unpublish') {
      server.unpublish(String(request.root), Number(request.pid));
      setImmediate(checkIdle);
    } else if (request.cmd === 'stop') setImmediate(stop);
    return { ok: true, status: status() };
  };
  const control = await serveProxyControl(paths.socket, handle);
  const { projects, ...state } = status();
  writeFileAtomic(paths.stateFile, `${JSON.stringify(state, null, 2)}\n`);
  process.stdout.write(
    `poly proxy ${process.pid} on https://${settings.host}:${settings.httpsPort}${settings.httpPort ? ` (http ${settings.httpPort} redirects)` : ''}\n`,
  );

  const timer = setInterval(checkIdle, Math.min(LIVENESS_CHECK_MS, Math.max(idleMs, 50)));
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => stop());
  await stopped;
  clearInterval(timer);
  control.close();
  rmSync(paths.socket, { force: true });
  rmSync(paths.stateFile, { force: true });
  await server.close();
  process.stdout.write(`poly proxy ${process.pid} stopped\n`);
}

function idleExitMs(env: NodeJS.ProcessEnv): number {
  const ms = Number.parseInt(env.POLY_PROXY_IDLE_MS ?? '', 10);
  return Number.isInteger(ms) && ms >= 0 ? ms : IDLE_EXIT_MS;
}
