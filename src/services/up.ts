import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PolyError } from '../core/errors.js';
import { requireManifest } from '../core/manifest/load.js';
import type { Manifest } from '../core/manifest/types.js';
import { type ProjectLayout, projectLayout } from '../core/store/layout.js';
import type { SupervisorInfo } from '../core/supervisor/control.js';
import { controlRequest } from '../core/supervisor/control.js';
import { findRunningSupervisor, hostSupervisor, type SupervisorHost } from '../core/supervisor/host.js';
import type { ServiceStatus } from '../core/supervisor/status.js';
import { Supervisor } from '../core/supervisor/supervisor.js';
import { planUp } from './up-plan.js';

export { logRotation, planUp, type RunningServices, serviceRunners, type UpPlan } from './up-plan.js';

export interface UpOptions {
  cwd: string;
  /** Services named on the command line; empty = all. */
  services: string[];
  /** `poly up --container`: every runtime service runs in a container. */
  allContainers?: boolean;
}

/** What `poly up -d --json` prints. */
export interface UpResult {
  project: string;
  supervisorPid: number;
  services: ServiceStatus[];
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
 * events and calls stop() on Ctrl-C / q.
 */
export async function startServices(options: UpOptions & { detached?: boolean }): Promise<RunningUp> {
  const manifest = requireManifest(options.cwd);
  const layout = projectLayout(manifest.root);
  const running = await findRunningSupervisor(layout);
  if (running) throw alreadyRunning(running);
  const plan = await planUp(manifest, options.services, options);
  const forwarder = await plan.containers?.forwardNativePorts(plan.forwardPorts);
  let onDown: () => void = () => {};
  const downRequested = new Promise<void>((resolve) => {
    onDown = resolve;
  });
  let supervisor: Supervisor;
  let host: SupervisorHost;
  try {
    supervisor = new Supervisor(plan);
    host = await hostSupervisor({ supervisor, layout, detached: options.detached ?? false, onDown });
  } catch (err) {
    await forwarder?.close();
    throw err;
  }
  supervisor.start();
  let stopping: Promise<void> | undefined;
  return {
    manifest,
    layout,
    supervisor,
    host,
    downRequested,
    stop() {
      stopping ??= supervisor
        .stop()
        .finally(() => forwarder?.close())
        .finally(() => host.close());
      return stopping;
    },
  };
}

/** How long `poly up -d` waits for the supervisor process to answer on its socket. */
const SUPERVISOR_START_MS = 15_000;

/**
 * `poly up -d`: starts `poly supervise` as its own session (it survives the
 * terminal), then waits until every service is healthy or one is given up on.
 */
export async function startDetached(options: UpOptions): Promise<UpResult> {
  const manifest = requireManifest(options.cwd);
  const layout = projectLayout(manifest.root);
  const running = await findRunningSupervisor(layout);
  if (running) throw alreadyRunning(running);
  // Plan here too, so a port conflict or a bad name is reported in this terminal.
  await planUp(manifest, options.services, options);

  mkdirSync(layout.logs, { recursive: true });
  const logFd = openSync(layout.supervisorLog, 'a');
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
    if (answer?.ok && answer.info?.pid === child.pid) break;
    if (childExit !== undefined || Date.now() > deadline)
      throw new PolyError('SUPERVISOR_START', `the supervisor did not start${tail(layout.supervisorLog)}`, {
        hint: `See ${layout.supervisorLog}.`,
      });
    await new Promise((r) => setTimeout(r, 50));
  }
  const answer = await controlRequest(layout.socket, { cmd: 'wait' }, 24 * 3600_000);
  if (!answer?.ok || !answer.info) throw new PolyError('SUPERVISOR_LOST', 'the supervisor stopped answering');
  const result: UpResult = {
    project: manifest.root,
    supervisorPid: answer.info.pid,
    services: answer.info.services,
  };
  if (answer.settled && !answer.settled.ok) throw serviceDidNotStart(answer.settled.status);
  return result;
}

export function serviceDidNotStart(status: ServiceStatus): PolyError {
  const lines = status.lastLines.length
    ? `\n${status.lastLines.map((l) => `  ${status.name} | ${l}`).join('\n')}`
    : '';
  return new PolyError(
    'SERVICE_NOT_HEALTHY',
    `service ${status.name} is ${status.state}: ${status.message ?? status.lastExit ?? ''}${lines}`,
    {
      hint: `The other services keep running. See \`poly logs ${status.name}\`; stop all with \`poly down\`.`,
    },
  );
}

function alreadyRunning(info: SupervisorInfo): PolyError {
  return new PolyError(
    'ALREADY_RUNNING',
    `services of this project are already running (supervisor pid ${info.pid})`,
    { hint: 'See them with `poly ps`, or stop them with `poly down` first.' },
  );
}

function tail(file: string): string {
  try {
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-8);
    return lines.length ? `:\n${lines.join('\n')}` : '';
  } catch {
    return '';
  }
}
