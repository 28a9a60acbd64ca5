import type { ServiceSpec } from '../manifest/types.js';
import { describeCheck } from './health.js';
import type { History, Phase, ServiceLife } from './service-state.js';
import { CRASH_LOOP_AFTER, IMAGE_HEALTHCHECK, type ServiceState, type ServiceStatus } from './status.js';

export interface StatusSource {
  spec: ServiceSpec;
  port?: number;
  runtimeLabel?: string;
  /** The lines kept in memory, oldest first. */
  lines: readonly string[];
}

/** The state `poly ps`, the dashboard and `up -d` see: two phases show as starting, a long backoff as a crash loop. */
export function shownState(phase: Phase): ServiceState {
  if (phase.kind === 'launching' || phase.kind === 'checking') return 'starting';
  if (phase.kind === 'backoff') return phase.attempt >= CRASH_LOOP_AFTER ? 'crash-loop' : 'backoff';
  return phase.kind;
}

/** One service's status, in the order of its fields that `poly ps --json` and the events carry. */
export function serviceStatus(life: ServiceLife, source: StatusSource): ServiceStatus {
  const { phase, history } = life;
  const { spec, port } = source;
  // An instance that ended has no uptime (the next one gets its own).
  const instance = 'instance' in phase ? phase.instance : undefined;
  const message = 'message' in phase ? phase.message : undefined;
  return {
    name: spec.name,
    state: shownState(phase),
    mode: spec.mode,
    ...(source.runtimeLabel ? { runtime: source.runtimeLabel } : {}),
    ...(port !== undefined ? { port, address: `127.0.0.1:${port}` } : {}),
    ...(port !== undefined && speaksHttp(spec) ? { url: `http://127.0.0.1:${port}` } : {}),
    ...(instance?.pid !== undefined ? { pid: instance.pid } : {}),
    ...(instance && spec.mode === 'container' ? { containerId: instance.id } : {}),
    check: history.imageCheck ? IMAGE_HEALTHCHECK : describeCheck(spec.health, port),
    ...(history.imageHealth ? { imageHealth: history.imageHealth } : {}),
    restarts: history.restarts,
    ...(instance && 'since' in phase ? { startedAt: phase.since } : {}),
    ...(history.healthyAt !== undefined ? { healthyAt: history.healthyAt } : {}),
    ...(history.lastExit ? { lastExit: history.lastExit } : {}),
    dependsOn: spec.dependsOn,
    ...(message ? { message } : {}),
    lastLines: source.lines.slice(-10),
  };
}

/** What the check is, with the image HEALTHCHECK's last status when that is the check. */
export function describeServiceCheck(history: History, spec: ServiceSpec, port: number | undefined): string {
  if (history.imageCheck) return `${IMAGE_HEALTHCHECK}: ${history.imageHealth ?? 'unknown'}`;
  return describeCheck(spec.health, port);
}

/** Only these get an http URL in `poly ps`: a gRPC or Redis port is no web page. */
function speaksHttp(spec: ServiceSpec): boolean {
  return spec.protocol === 'http' || (spec.protocol === undefined && spec.health?.kind === 'http');
}
