import { isDeepStrictEqual } from 'node:util';
import { peerVariables } from '../docker/service-urls.js';
import type { ServiceSpec } from '../manifest/types.js';

/** What `poly up -d` did to one service of a running supervisor. */
export type ServiceAction = 'kept' | 'restarted' | 'started' | 'removed';

export interface ServiceChange {
  name: string;
  action: ServiceAction;
  /** Why: what changed for a restart, "new", "no longer in poly.toml". */
  reason?: string;
}

/** One service as a plan describes it: everything that decides how its process runs. */
export interface PlannedService {
  /** With the mode it really runs in. */
  spec: ServiceSpec;
  /** Its complete environment. */
  env: Record<string, string>;
  port?: number;
  /** "node@22", from the manifest pin. */
  runtimeLabel?: string;
  /** What else decides how it runs (a container's base image and mounted toolchains). */
  fingerprint?: string;
}

export interface ReconcileInput {
  /** What runs now, by name, in order. */
  current: Readonly<Record<string, PlannedService>>;
  /** The new plan, by name, in order. */
  next: Readonly<Record<string, PlannedService>>;
  /**
   * The services the user asked for, with their dependencies. Services of
   * `next` outside it are left as they run (`poly up -d api` never touches
   * db's siblings). Default: all of `next`.
   */
  scope?: readonly string[];
  /** Current services that gave up (failed, no instance): started again even when unchanged. */
  failed?: readonly string[];
}

/**
 * What `poly up -d` does to each service when a supervisor already runs: a
 * service of the new plan that runs unchanged is kept, one that changed (or
 * failed) is restarted, a new one is started, and a running one the plan no
 * longer has is removed. Services outside the scope get no entry. Pure.
 *
 * Environments are compared whole, with one exception: the `<NAME>_URL`,
 * `_HOST` and `_PORT` variables of a service that only one side has. Adding
 * or removing a service must not restart every other one just because poly
 * injects the newcomer's URL everywhere; a peer that moves (a new port, the
 * other side of the network) does change those variables and restarts the
 * services that point at it.
 */
export function reconcile(input: ReconcileInput): ServiceChange[] {
  const { current, next } = input;
  const scope = new Set(input.scope ?? Object.keys(next));
  const failed = new Set(input.failed ?? []);
  const comingOrGoing = Object.keys(next)
    .filter((name) => !current[name])
    .concat(Object.keys(current).filter((name) => !next[name]));
  const ignorable = new Set(comingOrGoing.flatMap(peerVariables));

  const changes: ServiceChange[] = [];
  for (const [name, planned] of Object.entries(next)) {
    if (!scope.has(name)) continue;
    const running = current[name];
    if (!running) {
      changes.push({ name, action: 'started', reason: 'new' });
      continue;
    }
    const why = differences(running, planned, ignorable);
    if (failed.has(name)) why.push('it had failed');
    changes.push(
      why.length ? { name, action: 'restarted', reason: why.join('; ') } : { name, action: 'kept' },
    );
  }
  for (const name of Object.keys(current))
    if (!next[name]) changes.push({ name, action: 'removed', reason: 'no longer in poly.toml' });
  return changes;
}

/** What differs between two plans of one service, in words; empty when it may keep running. */
export function differences(
  before: PlannedService,
  after: PlannedService,
  ignorableEnv: ReadonlySet<string> = new Set(),
): string[] {
  const why: string[] = [];
  if (before.spec.mode !== after.spec.mode) why.push(`mode ${before.spec.mode} -> ${after.spec.mode}`);
  const keys = changedKeys(
    { ...before.spec, env: undefined, mode: undefined },
    { ...after.spec, env: undefined, mode: undefined },
  );
  if (keys.length) why.push(`${keys.join(', ')} changed`);
  if (before.port !== after.port) why.push(`port ${before.port ?? 'none'} -> ${after.port ?? 'none'}`);
  if (before.runtimeLabel !== after.runtimeLabel)
    why.push(`runtime ${before.runtimeLabel ?? 'none'} -> ${after.runtimeLabel ?? 'none'}`);
  if (before.fingerprint !== after.fingerprint) why.push('container setup changed');
  const env = changedKeys(before.env, after.env).filter(
    (key) => !(ignorableEnv.has(key) && (before.env[key] === undefined || after.env[key] === undefined)),
  );
  if (env.length) why.push(`env ${summarize(env)} changed`);
  return why;
}

function changedKeys(a: object, b: object): string[] {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].filter((key) => !isDeepStrictEqual(left[key], right[key])).sort();
}

/** Names, not values: an environment holds secrets. */
function summarize(keys: string[]): string {
  return keys.length > 3 ? `${keys.slice(0, 3).join(', ')} and ${keys.length - 3} more` : keys.join(', ');
}
