import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import type { PolyContext } from '../../core/context.js';
import { PolyError } from '../../core/errors.js';
import { type ProxyRequest, type ProxyStatus, proxyRequest } from '../../core/proxy/control.js';
import { proxySettings } from '../../core/proxy/proxy-settings.js';
import { withLock } from '../../core/runtimes/install-lock.js';
import { type ProxyLayout, proxyLayout, storeLayout } from '../../core/store/layout.js';
import { isProcessRunning } from '../../core/supervisor/process-alive.js';
import { selfCommand } from '../env/self-command.js';

/** How long a supervisor waits for the proxy it started to answer. */
const PROXY_START_MS = 15_000;

/** The running proxy of this store, if one answers on its socket. */
export async function runningProxy(env: NodeJS.ProcessEnv): Promise<ProxyStatus | undefined> {
  const answer = await proxyRequest(proxyLayout(storeLayout(env)).socket, { cmd: 'status' });
  return answer?.ok ? answer.status : undefined;
}

/** One request to the running proxy; undefined when none runs. */
export async function askProxy(
  request: ProxyRequest,
  env: NodeJS.ProcessEnv,
): Promise<ProxyStatus | undefined> {
  const answer = await proxyRequest(proxyLayout(storeLayout(env)).socket, request);
  return answer?.ok ? answer.status : undefined;
}

/**
 * The proxy, started if none runs (`poly proxy-serve` in its own session, like
 * `poly up -d` starts a supervisor). A lock in the store makes two supervisors
 * starting at once share one proxy.
 */
export async function ensureProxy(env: NodeJS.ProcessEnv): Promise<ProxyStatus> {
  const store = storeLayout(env);
  const paths = proxyLayout(store);
  const running = await runningProxy(env);
  if (running) return running;
  return withLock(store.locks, 'proxy', async () => (await runningProxy(env)) ?? startProxy(paths, env));
}

async function startProxy(paths: ProxyLayout, env: NodeJS.ProcessEnv): Promise<ProxyStatus> {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const logFd = openSync(paths.log, 'a');
  const [node, bin] = selfCommand();
  const child = spawn(node, [bin, 'proxy-serve'], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env,
    cwd: paths.dir,
  });
  closeSync(logFd);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  child.unref();
  const deadline = Date.now() + PROXY_START_MS;
  for (;;) {
    const status = await runningProxy(env);
    if (status && status.pid === child.pid) return status;
    if (exited || Date.now() > deadline)
      throw new PolyError('PROXY_START', `the HTTPS proxy did not start${logTail(paths.log)}`, {
        hint: `See ${paths.log}. \`poly config set proxy.enabled false\` turns the proxy off.`,
      });
    await new Promise((r) => setTimeout(r, 50));
  }
}

function logTail(file: string): string {
  try {
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-3);
    return lines.length ? `:\n  ${lines.join('\n  ')}` : '';
  } catch {
    return '';
  }
}

/**
 * The HTTPS port public URLs carry: the running proxy's (it may have started
 * under other settings), else the one a proxy started now would take.
 * Synchronous, for planning a service's environment.
 */
export function publicHttpsPort(ctx: PolyContext): number {
  const { env } = ctx;
  try {
    const state = JSON.parse(readFileSync(proxyLayout(storeLayout(env)).stateFile, 'utf8')) as ProxyStatus;
    if (Number.isInteger(state.httpsPort) && isProcessRunning(state.pid)) return state.httpsPort;
  } catch {
    // No proxy ran yet, or its state file is half-written: the settings say where it will listen.
  }
  return proxySettings(env, ctx.host).httpsPort;
}

/**
 * Why the proxy does not serve this project's names although it should (on,
 * but not running: its port was taken, say), for `poly up -d` to print; the
 * services run on regardless.
 */
export async function proxyProblem(ctx: PolyContext): Promise<string | undefined> {
  const { env } = ctx;
  const settings = proxySettings(env, ctx.host);
  if (!settings.enabled || (await runningProxy(env))) return undefined;
  const paths = proxyLayout(storeLayout(env));
  return `the HTTPS proxy is not running, so https://<service>.<project>.localhost:${settings.httpsPort} does not answer${logTail(paths.log)}\nhint: Free the port or choose another with \`poly config set proxy.port <port>\`, then \`poly up -d\` again (see ${paths.log}).`;
}
