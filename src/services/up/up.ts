import { mkdirSync, readFileSync } from 'node:fs';
import type { PolyContext } from '../../core/context.js';
import { PolyError } from '../../core/errors.js';
import { requireManifest } from '../../core/manifest/load.js';
import type { Manifest } from '../../core/manifest/types.js';
import { withLock } from '../../core/runtimes/install-lock.js';
import { type ProjectLayout, projectLayout } from '../../core/store/layout.js';
import type { SupervisorInfo } from '../../core/supervisor/control.js';
import { controlRequest } from '../../core/supervisor/control.js';
import { findRunningSupervisor, hostSupervisor, type SupervisorHost } from '../../core/supervisor/host.js';
import type { ServiceAction, ServiceChange } from '../../core/supervisor/reconcile.js';
import type { ServiceStatus } from '../../core/supervisor/status.js';
import { Supervisor } from '../../core/supervisor/supervisor.js';
import { proxyProblem } from '../proxy/client.js';
import { publicUrlsOf, type RoutePublisher, startRoutePublisher, withPublicUrls } from '../proxy/routes.js';
import { manifestApplier } from './apply.js';
import { askSupervisor } from './control-client.js';
import { stopLeftovers } from './leftovers.js';
import { NativePortRelay } from './native-port-relay.js';
import { planUp } from './plan.js';
import { removeAfterDown } from './project-docker.js';
import { watchServiceFiles } from './service-watch.js';
import type { EarlySupervisor } from './supervisor-early.js';
import { type GatedSupervisor, spawnGatedSupervisor } from './supervisor-launch.js';

export { planUp } from './plan.js';

export interface UpOptions {
  cwd: string;
  /** Services named on the command line; empty = all. */
  services: string[];
  /** `poly up --container`: every runtime service runs in a container. */
  allContainers?: boolean;
  /** The process's context (a detached supervisor makes its own, from the environment it inherits). */
  ctx: PolyContext;
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
  /** The context it was started with (the dashboard's public URLs read its settings). */
  ctx: PolyContext;
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
  await stopLeftovers(manifest, layout, options.ctx.env);
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
          ctx: options.ctx,
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
      removeAfterDown: async (volumes) => {
        await relay.close();
        const ranContainers = supervisor.status().some((s) => s.mode === 'container');
        return removeAfterDown(manifest, ranContainers, volumes, options.ctx.env);
      },
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
    ctx: options.ctx,
    ...(options.onProxyError ? { onError: options.onProxyError } : {}),
  });
  const unwatch = watchServiceFiles(supervisor, plan.services);
  let stopping: Promise<void> | undefined;
  return {
    manifest,
    ctx: options.ctx,
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
 * `early`: the supervisor the fast path already spawned (supervisor-early.ts).
 */
export async function startDetached(
  options: UpOptions,
  hooks: DetachedHooks = {},
  early?: EarlySupervisor,
): Promise<UpResult> {
  try {
    return await detach(options, hooks, early);
  } finally {
    // Not let go (a bad poly.toml, another root): it exits, having done nothing.
    early?.gated.cancel();
  }
}

async function detach(options: UpOptions, hooks: DetachedHooks, early?: EarlySupervisor): Promise<UpResult> {
  const manifest = requireManifest(options.cwd);
  const layout = projectLayout(manifest.root);
  // Two `poly up -d` at once: the second waits until the first one's supervisor answers, then applies to it.
  mkdirSync(layout.state, { recursive: true });
  // Started before the lock and the checks, which its Node start overlaps; it waits for go().
  const gated = early?.root === manifest.root ? early.gated : spawnGatedSupervisor(manifest, layout, options);
  const started = await withLock(layout.state, 'up', async () => {
    const running = await findRunningSupervisor(layout);
    if (running) return { running };
    return { pid: await launchSupervisor(manifest, layout, options, gated) };
  }).finally(() => gated.cancel());
  if (started.running) return applyToRunning(started.running, manifest, layout, options, hooks);
  const answer = await controlRequest(layout.socket, { cmd: 'wait' }, WAIT_MS);
  if (!answer?.ok || !answer.info) throw new PolyError('SUPERVISOR_LOST', 'the supervisor stopped answering');
  const result: UpResult = {
    project: manifest.root,
    supervisorPid: answer.info.pid,
    services: withPublicUrls(
      answer.info.services.map((s) => ({ ...s, action: 'started' as const })),
      publicUrlsOf(manifest, options.ctx),
    ),
    removed: [],
  };
  if (answer.settled && !answer.settled.ok)
    throw serviceDidNotStart(answer.settled.status, answer.info.services);
  return withProxyWarning(result, options.ctx);
}

/**
 * Lets the early-started supervisor go once this terminal's checks pass;
 * resolves with its pid once it answers on the socket.
 */
async function launchSupervisor(
  manifest: Manifest,
  layout: ProjectLayout,
  options: UpOptions,
  gated: GatedSupervisor,
): Promise<number> {
  await stopLeftovers(manifest, layout, options.ctx.env);
  // Plan here too, so a port conflict or a bad name is reported in this terminal.
  await planUp(manifest, options.services, options);
  gated.go();
  const { child, logStart } = gated;
  const deadline = Date.now() + SUPERVISOR_START_MS;
  for (;;) {
    const answer = await controlRequest(layout.socket, { cmd: 'ps' }, 5000).catch(() => undefined);
    if (answer?.ok && child.pid !== undefined && answer.info?.pid === child.pid) return child.pid;
    if (gated.exit() !== undefined || Date.now() > deadline)
      throw new PolyError(
        'SUPERVISOR_START',
        `the supervisor did not start${tail(layout.supervisorLog, logStart)}`,
        {
          hint: `See ${layout.supervisorLog}.`,
        },
      );
    // A refused connect costs next to nothing; a coarse poll was up to its period added to every `up -d`.
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Only a project with an https name has a reason to hear that the proxy is down (a database has none). */
async function withProxyWarning(result: UpResult, ctx: PolyContext): Promise<UpResult> {
  if (!result.services.some((s) => s.publicUrl)) return result;
  const warning = await proxyProblem(ctx);
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
      publicUrlsOf(manifest, options.ctx),
    ),
    removed: changes.filter((c) => c.action === 'removed').map((c) => c.name),
  };
  if (answer.settled && !answer.settled.ok)
    throw serviceDidNotStart(answer.settled.status, answer.info.services);
  return withProxyWarning(result, options.ctx);
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
