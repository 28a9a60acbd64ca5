import { spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PolyError } from '../core/errors.js';
import { requireManifest } from '../core/manifest/load.js';
import type { Manifest } from '../core/manifest/types.js';
import { withLock } from '../core/runtimes/install-lock.js';
import { type ProjectLayout, projectLayout } from '../core/store/layout.js';
import type { SupervisorInfo } from '../core/supervisor/control.js';
import { controlRequest } from '../core/supervisor/control.js';
import { findRunningSupervisor, hostSupervisor, type SupervisorHost } from '../core/supervisor/host.js';
import type { ServiceAction, ServiceChange } from '../core/supervisor/reconcile.js';
import type { ServiceStatus } from '../core/supervisor/status.js';
import { Supervisor } from '../core/supervisor/supervisor.js';
import { askSupervisor } from './control-client.js';
import { stopLeftovers } from './leftovers.js';
import { NativePortRelay } from './native-port-relay.js';
import { proxyProblem } from './proxy-client.js';
import { publicUrlsOf, type RoutePublisher, startRoutePublisher, withPublicUrls } from './proxy-routes.js';
import { watchServiceFiles } from './service-watch.js';
import { manifestApplier } from './up-apply.js';
import { planUp } from './up-plan.js';

export { planUp } from './up-plan.js';

export interface UpOptions {
  cwd: string;
  /** Services named on the command line; empty = all. */
  services: string[];
  /** `poly up --container`: every runtime service runs in a container. */
  allContainers?: boolean;
}

/** A service in `poly up -d`'s answer, with what this run did to it. */
export type UpServiceStatus = ServiceStatus & { action?: ServiceAction };

/** What `poly up -d --json` prints. */
export interface UpResult {
  project: string;
  supervisorPid: number;
  /** Every service the supervisor runs; `action` on those this run considered. */
  services: UpServiceStatus[];
  /** Services stopped because poly.toml no longer has them. */
  removed: string[];
  /** Set when the HTTPS proxy should serve the services but does not run (its port is taken...). */
  proxyWarning?: string;
}

export interface RunningUp {
  manifest: Manifest;
  layout: ProjectLayout;
  supervisor: Supervisor;
  host: SupervisorHost;
  /** Resolves when another terminal ran `poly down`. */
  downRequested: Promise<void>;
  /** Stops every service (reverse dependency order) and removes the socket and state. */
  stop(): Promise<void>;
}

/**
 * `poly up` in this process (the foreground, and `poly supervise` for -d):
 * starts the services and serves the control socket. The caller renders
 * events and calls stop() on Ctrl-C / q. A detached one also applies
 * poly.toml again when `poly up -d` asks (see up-apply.ts).
 */
export async function startServices(
  options: UpOptions & { detached?: boolean; onProxyError?: (err: Error) => void },
): Promise<RunningUp> {
  const manifest = requireManifest(options.cwd);
  const layout = projectLayout(manifest.root);
  const running = await findRunningSupervisor(layout);
  if (running) throw alreadyRunning(running);
  await stopLeftovers(manifest, layout);
  const plan = await planUp(manifest, options.services, options);
  const relay = new NativePortRelay();
  await relay.open(plan.forwardPorts, plan.containers);
  let onDown: () => void = () => {};
  const downRequested = new Promise<void>((resolve) => {
    onDown = resolve;
  });
  let supervisor: Supervisor;
  let host: SupervisorHost;
  let routes: RoutePublisher | undefined;
  try {
    supervisor = new Supervisor(plan);
    const apply = options.detached
      ? manifestApplier({
          manifestFile: manifest.file,
          projectName: manifest.project.name,
          supervisor,
          relay,
          ...(plan.containers ? { containers: plan.containers } : {}),
        })
      : undefined;
    host = await hostSupervisor({
      supervisor,
      layout,
      detached: options.detached ?? false,
      onDown,
      ...(apply ? { apply } : {}),
      published: () => routes?.flush() ?? Promise.resolve(),
    });
  } catch (err) {
    await relay.close();
    throw err;
  }
  supervisor.start();
  routes = startRoutePublisher({
    manifest,
    supervisor,
    ...(options.onProxyError ? { onError: options.onProxyError } : {}),
  });
  const unwatch = watchServiceFiles(supervisor, plan.services);
  let stopping: Promise<void> | undefined;
  return {
    manifest,
    layout,
    supervisor,
    host,
    downRequested,
    stop() {
      unwatch();
      stopping ??= supervisor
        .stop()
        .finally(() => routes?.close())
        .finally(() => relay.close())
        .finally(() => host.close());
      return stopping;
    },
  };
}

/** How long `poly up -d` waits for the supervisor process to answer on its socket. */
const SUPERVISOR_START_MS = 15_000;
/** How long an apply may take before it answers: stopping the changed services (their stop timeouts). */
const APPLY_MS = 15 * 60_000;
/** Waiting for health has its own limits (start_period, crash loops); this is only a backstop. */
const WAIT_MS = 24 * 3600_000;

export interface DetachedHooks {
  /** What `poly up -d` did to the services of a supervisor that already ran, before waiting for health. */
  onChanges?(changes: ServiceChange[]): void;
}

/**
 * `poly up -d`: starts `poly supervise` as its own session (it survives the
 * terminal), then waits until every service is healthy or one is given up on.
 * When the project's supervisor already runs, asks it to apply poly.toml
 * again instead (unchanged services keep running), like `docker compose up -d`.
 */
export async function startDetached(options: UpOptions, hooks: DetachedHooks = {}): Promise<UpResult> {
  const manifest = requireManifest(options.cwd);
  const layout = projectLayout(manifest.root);
  // Two `poly up -d` at once: the second waits until the first one's supervisor answers, then applies to it.
  mkdirSync(layout.state, { recursive: true });
  const started = await withLock(layout.state, 'up', async () => {
    const running = await findRunningSupervisor(layout);
    if (running) return { running };
    return { pid: await launchSupervisor(manifest, layout, options) };
  });
  if (started.running) return applyToRunning(started.running, manifest, layout, options, hooks);
  const answer = await controlRequest(layout.socket, { cmd: 'wait' }, WAIT_MS);
  if (!answer?.ok || !answer.info) throw new PolyError('SUPERVISOR_LOST', 'the supervisor stopped answering');
  const result: UpResult = {
    project: manifest.root,
    supervisorPid: answer.info.pid,
    services: withPublicUrls(
      answer.info.services.map((s) => ({ ...s, action: 'started' as const })),
      publicUrlsOf(manifest),
    ),
    removed: [],
  };
  if (answer.settled && !answer.settled.ok)
    throw serviceDidNotStart(answer.settled.status, answer.info.services);
  return withProxyWarning(result);
}

/** Starts `poly supervise` in its own session; resolves with its pid once it answers on the socket. */
async function launchSupervisor(
  manifest: Manifest,
  layout: ProjectLayout,
  options: UpOptions,
): Promise<number> {
  await stopLeftovers(manifest, layout);
  // Plan here too, so a port conflict or a bad name is reported in this terminal.
  await planUp(manifest, options.services, options);

  mkdirSync(layout.logs, { recursive: true });
  const logFd = openSync(layout.supervisorLog, 'a');
  const logStart = fstatSync(logFd).size;
  const bin = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      bin,
      'supervise',
      '--cwd',
      manifest.root,
      ...(options.allContainers ? ['--container'] : []),
      ...options.services,
    ],
    {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: process.env,
      // Not the caller's folder: messages about poly.toml (a later apply) read "poly.toml:7:3".
      cwd: manifest.root,
    },
  );
  closeSync(logFd);
  let childExit: number | null | undefined;
  child.once('exit', (code) => {
    childExit = code;
  });
  child.unref();

  const deadline = Date.now() + SUPERVISOR_START_MS;
  for (;;) {
    const answer = await controlRequest(layout.socket, { cmd: 'ps' }, 5000).catch(() => undefined);
    if (answer?.ok && child.pid !== undefined && answer.info?.pid === child.pid) return child.pid;
    if (childExit !== undefined || Date.now() > deadline)
      throw new PolyError(
        'SUPERVISOR_START',
        `the supervisor did not start${tail(layout.supervisorLog, logStart)}`,
        {
          hint: `See ${layout.supervisorLog}.`,
        },
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function withProxyWarning(result: UpResult): Promise<UpResult> {
  const warning = await proxyProblem();
  return warning ? { ...result, proxyWarning: warning } : result;
}

/** `poly up -d` with the supervisor running: apply, then wait for the services it considered. */
async function applyToRunning(
  running: SupervisorInfo,
  manifest: Manifest,
  layout: ProjectLayout,
  options: UpOptions,
  hooks: DetachedHooks,
): Promise<UpResult> {
  if (!running.detached)
    throw new PolyError(
      'ALREADY_RUNNING',
      `services of this project run in the foreground \`poly up\` of another terminal (pid ${running.pid})`,
      { hint: 'Stop that `poly up` (q or Ctrl-C), then run `poly up -d`; `poly ps` shows them meanwhile.' },
    );
  const applied = await askSupervisor(
    layout,
    { cmd: 'apply', services: options.services, ...(options.allContainers ? { allContainers: true } : {}) },
    APPLY_MS,
  );
  if (!applied) throw supervisorLost(layout);
  const changes = applied.changes ?? [];
  hooks.onChanges?.(changes);
  const considered = changes.filter((c) => c.action !== 'removed').map((c) => c.name);
  const answer = await askSupervisor(layout, { cmd: 'wait', services: considered }, WAIT_MS);
  if (!answer?.info) throw supervisorLost(layout);
  const action = new Map(changes.map((c) => [c.name, c.action]));
  const result: UpResult = {
    project: manifest.root,
    supervisorPid: answer.info.pid,
    services: withPublicUrls(
      answer.info.services.map((s) => {
        const a = action.get(s.name);
        return a ? { ...s, action: a } : s;
      }),
      publicUrlsOf(manifest),
    ),
    removed: changes.filter((c) => c.action === 'removed').map((c) => c.name),
  };
  if (answer.settled && !answer.settled.ok)
    throw serviceDidNotStart(answer.settled.status, answer.info.services);
  return withProxyWarning(result);
}

/** `others`: the supervisor's other services, to say truly whether they keep running. */
export function serviceDidNotStart(status: ServiceStatus, others: ServiceStatus[] = []): PolyError {
  const lines = status.lastLines.length
    ? `\n${status.lastLines.map((l) => `  ${status.name} | ${l}`).join('\n')}`
    : '';
  const running = others.filter((s) => s.name !== status.name && isRunning(s));
  const rest = running.length
    ? `The other services keep running (${running.map((s) => s.name).join(', ')}).`
    : 'No other service of this project runs.';
  return new PolyError(
    'SERVICE_NOT_HEALTHY',
    `service ${status.name} is ${status.state}: ${status.message ?? status.lastExit ?? ''}${lines}`,
    { hint: `${rest} See \`poly logs ${status.name}\`; stop all with \`poly down\`.` },
  );
}

/** An instance of it runs now (a process or a container), healthy or not. */
function isRunning(s: ServiceStatus): boolean {
  return s.pid !== undefined || s.containerId !== undefined;
}

function alreadyRunning(info: SupervisorInfo): PolyError {
  if (!info.detached)
    return new PolyError(
      'ALREADY_RUNNING',
      `services of this project are already running in another terminal (poly up, pid ${info.pid})`,
      { hint: 'See them with `poly ps`, or stop that `poly up` (q or Ctrl-C) first.' },
    );
  return new PolyError(
    'ALREADY_RUNNING',
    `services of this project are already running in the background (supervisor pid ${info.pid})`,
    {
      hint: '`poly up -d` applies changes of poly.toml to them (unchanged services keep running); `poly logs -f` follows their output; `poly down` stops them.',
    },
  );
}

function supervisorLost(layout: ProjectLayout): PolyError {
  return new PolyError('SUPERVISOR_LOST', 'the supervisor stopped answering', {
    hint: `See ${layout.supervisorLog}; \`poly down\` cleans up, then \`poly up -d\` starts again.`,
  });
}

/** The last lines this launch wrote (from byte `from`): older runs' lines would mislead. */
function tail(file: string, from = 0): string {
  try {
    const text = readFileSync(file).subarray(from).toString('utf8').trimEnd();
    const lines = text ? text.split('\n').slice(-8) : [];
    return lines.length ? `:\n${lines.join('\n')}` : '';
  } catch {
    return '';
  }
}
