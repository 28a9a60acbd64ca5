import { readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { PolyError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import type { ProjectLayout } from '../store/layout.js';
import {
  type ApplyRequest,
  controlRequest,
  type DownReport,
  type SupervisorInfo,
  serveControl,
} from './control.js';
import type { ServiceChange } from './reconcile.js';
import type { Supervisor } from './supervisor.js';

export interface HostOptions {
  supervisor: Supervisor;
  layout: ProjectLayout;
  detached: boolean;
  /** Called after `poly down` from another terminal stopped every service. */
  onDown(): void;
  /** `poly up -d` from another terminal (detached supervisors only): re-read poly.toml and apply it. */
  apply?(request: ApplyRequest): Promise<ServiceChange[]>;
  /** After `poly down` stopped every service: removes the project's containers and network. */
  removeAfterDown?(volumes: boolean): Promise<DownReport | undefined>;
  /** Awaited before `wait` answers: the HTTPS proxy has this project's current routes. */
  published?(): Promise<void>;
}

export interface SupervisorHost {
  info(): SupervisorInfo;
  /** Removes the socket and the state file. Call after the services stopped. */
  close(): void;
}

/** Writes of the state file are coalesced to at most one per this many ms. */
const STATE_WRITE_MS = 100;

/**
 * Makes a running Supervisor reachable from other terminals: the control
 * socket (ps, wait, restart, apply, down) and .poly/state/supervisor.json (pid,
 * services, ports, pids, states), kept current as states change.
 */
export async function hostSupervisor(o: HostOptions): Promise<SupervisorHost> {
  const { supervisor, layout } = o;
  const running = await findRunningSupervisor(layout);
  if (running)
    throw new PolyError(
      'ALREADY_RUNNING',
      `services of this project are already running (supervisor pid ${running.pid})`,
      { hint: 'See them with `poly ps`, or stop them with `poly down` first.' },
    );
  const startedAt = Date.now();
  const info = (): SupervisorInfo => ({
    pid: process.pid,
    project: layout.root,
    startedAt,
    detached: o.detached,
    services: supervisor.status(),
  });

  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const writeState = () => {
    timer = undefined;
    if (closed) return;
    const state = info();
    writeFileAtomic(
      layout.supervisorFile,
      `${JSON.stringify({ ...state, socket: layout.socket, services: state.services.map(({ lastLines, ...s }) => s) }, null, 2)}\n`,
    );
  };
  const offEvents = supervisor.on((event) => {
    if (event.type === 'status' && !timer) timer = setTimeout(writeState, STATE_WRITE_MS);
  });
  writeState();

  let server: Server | undefined = await serveControl(layout.socket, {
    ps: info,
    wait: async (services) => {
      const settled = await supervisor.settled(services);
      await o.published?.();
      return settled;
    },
    restart: (service) => supervisor.restart(service),
    apply: async (request) => {
      if (!o.apply)
        throw new PolyError('APPLY_FOREGROUND', 'these services run in the foreground of another terminal', {
          hint: 'Stop that `poly up` (q or Ctrl-C), then run `poly up -d`.',
        });
      const changes = await o.apply(request);
      // A removed service leaves no status event behind: write the state now.
      writeState();
      return changes;
    },
    down: async ({ volumes }) => {
      await supervisor.stop();
      const report = await o.removeAfterDown?.(volumes);
      setImmediate(o.onDown);
      return report;
    },
  });

  return {
    info,
    close() {
      if (closed) return;
      closed = true;
      offEvents();
      if (timer) clearTimeout(timer);
      server?.close();
      server = undefined;
      rmSync(layout.socket, { force: true });
      rmSync(layout.supervisorFile, { force: true });
    },
  };
}

/** The supervisor serving this project, if one answers on its socket. */
export async function findRunningSupervisor(layout: ProjectLayout): Promise<SupervisorInfo | undefined> {
  const answer = await controlRequest(layout.socket, { cmd: 'ps' }, 5000).catch(() => undefined);
  return answer?.ok ? answer.info : undefined;
}

/** The last state file written, e.g. by a supervisor that was killed. */
export function readSupervisorFile(layout: ProjectLayout): (SupervisorInfo & { socket: string }) | undefined {
  try {
    return JSON.parse(readFileSync(layout.supervisorFile, 'utf8'));
  } catch {
    return undefined;
  }
}
