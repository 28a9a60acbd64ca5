import type { Server } from 'node:net';
import type { ProjectCleanup } from '../docker/cleanup.js';
import { isPolyError } from '../errors.js';
import { LineTimeoutError, lineRequest, serveLineProtocol } from '../ipc/line-protocol.js';
import type { ServiceChange } from './reconcile.js';
import type { ServiceStatus } from './status.js';
import type { SettleResult } from './supervisor.js';

/**
 * The supervisor's control channel: a unix socket in .poly/, one JSON request
 * per connection, answered with one JSON line (core/ipc/line-protocol.ts). Any terminal in the project
 * can reach a running `poly up` (foreground or detached) through it.
 */
export type ControlRequest =
  | { cmd: 'ps' }
  | { cmd: 'wait'; services?: string[] }
  | { cmd: 'restart'; service: string }
  | ({ cmd: 'apply' } & ApplyRequest)
  | { cmd: 'down'; volumes?: boolean };

/** `poly up -d` while the supervisor runs: read poly.toml again and bring the services to it. */
export interface ApplyRequest {
  /** The services named on the command line (with their dependencies); empty = all of poly.toml. */
  services: string[];
  /** `poly up -d --container`. */
  allContainers?: boolean;
}

export interface SupervisorInfo {
  pid: number;
  project: string;
  startedAt: number;
  detached: boolean;
  services: ServiceStatus[];
}

/**
 * What a supervisor answers to `down` once it also removed the project's containers and network
 * (`removed` when it touched the engine). A supervisor that did not (an older one, or its removal
 * failed) answers without it, and `poly down` removes them itself.
 */
export interface DownReport {
  removed?: ProjectCleanup;
}

export type ControlResponse =
  | { ok: true; info?: SupervisorInfo; settled?: SettleResult; changes?: ServiceChange[]; down?: DownReport }
  | { ok: false; error: { code: string; message: string; hint?: string; exitCode?: number } };

export interface ControlHandlers {
  ps(): SupervisorInfo;
  /** Until the named services (default: all) are healthy or one is given up on. */
  wait(services?: string[]): Promise<SettleResult>;
  restart(service: string): Promise<void>;
  apply(request: ApplyRequest): Promise<ServiceChange[]>;
  down(options: { volumes: boolean }): Promise<DownReport | undefined>;
}

export async function serveControl(socket: string, handlers: ControlHandlers): Promise<Server> {
  const server = await serveLineProtocol(socket, async (line) =>
    JSON.stringify(await answer(line, handlers)),
  );
  server.unref();
  return server;
}

async function answer(raw: string, handlers: ControlHandlers): Promise<ControlResponse> {
  try {
    const request = JSON.parse(raw) as ControlRequest;
    switch (request.cmd) {
      case 'ps':
        return { ok: true, info: handlers.ps() };
      case 'wait':
        return { ok: true, settled: await handlers.wait(names(request.services)), info: handlers.ps() };
      case 'restart':
        await handlers.restart(request.service);
        return { ok: true, info: handlers.ps() };
      case 'apply': {
        const services = names(request.services) ?? [];
        const changes = await handlers.apply({ services, allContainers: request.allContainers === true });
        return { ok: true, changes, info: handlers.ps() };
      }
      case 'down': {
        const report = await handlers.down({ volumes: request.volumes === true });
        return { ok: true, ...(report ? { down: report } : {}) };
      }
      default:
        return { ok: false, error: { code: 'CONTROL_UNKNOWN', message: `unknown request ${raw}` } };
    }
  } catch (err) {
    const e = err as Error;
    return {
      ok: false,
      error: {
        code: isPolyError(err) ? err.code : 'CONTROL_FAILED',
        message: e.message,
        ...(isPolyError(err) && err.hint ? { hint: err.hint } : {}),
        ...(isPolyError(err) ? { exitCode: err.exitCode } : {}),
      },
    };
  }
}

/** A list of service names from a request, or undefined when it holds none. */
function names(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.filter((v): v is string => typeof v === 'string');
}

/**
 * Sends one request. Resolves undefined when no supervisor listens (no socket,
 * or a stale one left by a killed supervisor).
 */
export async function controlRequest(
  socket: string,
  request: ControlRequest,
  timeoutMs = 30_000,
): Promise<ControlResponse | undefined> {
  const answer = await lineRequest(socket, JSON.stringify(request), timeoutMs).catch((err: unknown) => {
    if (err instanceof LineTimeoutError)
      throw new Error(`the supervisor did not answer "${request.cmd}" within ${timeoutMs} ms`);
    throw err;
  });
  if (answer === undefined) return undefined;
  try {
    return JSON.parse(answer) as ControlResponse;
  } catch {
    return undefined;
  }
}
