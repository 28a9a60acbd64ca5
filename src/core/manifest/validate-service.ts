import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { didYouMean } from '../text/did-you-mean.js';
import { type Checker, describeValue, guessSuffix, isTable, type Table } from './checker.js';
import {
  type HealthCheck,
  type HealthTiming,
  isRuntimeName,
  RUNTIME_NAMES,
  type RuntimeName,
  type RuntimePin,
  type ServiceSpec,
} from './types.js';
import { DATABASE_KEYS, databaseOf } from './validate-database.js';
import { deployOf } from './validate-deploy.js';
import { serviceExtras } from './validate-env-file.js';
import { hostnamesOf } from './validate-hostnames.js';

const SERVICE_KEYS = [
  'path',
  'runtime',
  'run',
  'port',
  'health',
  'depends_on',
  'env',
  'restart',
  'stop_timeout',
  'mode',
  'image',
  'build',
  'env_file',
  'venv',
  'protocol',
  ...DATABASE_KEYS,
  'tasks',
  'hostnames',
  'watch',
  'deploy',
];
const HEALTH_KEYS = [
  'path',
  'tcp',
  'cmd',
  'interval',
  'timeout',
  'retries',
  'start_period',
  'start_interval',
];
const RESTART = ['on-failure', 'always', 'no'];
const MODES = ['native', 'container'];
/** Like docker compose's, with a quicker start_interval: checks every 500 ms until healthy, then every 10 s. */
export const DEFAULT_HEALTH_TIMING: HealthTiming = { interval: 10_000, timeout: 2000, retries: 3 };
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/** One [services.<name>] table, checked and typed. */
export function serviceOf(
  name: string,
  raw: Table,
  check: Checker,
  runtimes: Partial<Record<RuntimeName, RuntimePin>>,
): ServiceSpec {
  const key = (...rest: string[]) => ['services', name, ...rest];
  const dotted = (...rest: string[]) => key(...rest).join('.');
  check.unknownKeys(raw, SERVICE_KEYS, key());
  const str = (k: string): string | undefined => {
    const v = raw[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim() === '')
      check.fail(key(k), `${dotted(k)} must be a non-empty string, got ${describeValue(v)}`);
    return v as string;
  };

  const relPath = str('path') ?? '.';
  const abs = insideProject(relPath, check, key('path'), `${dotted('path')} "${relPath}"`);

  const runtime = str('runtime');
  if (runtime !== undefined) {
    if (!isRuntimeName(runtime))
      check.fail(
        key('runtime'),
        `${dotted('runtime')}: unknown runtime "${runtime}" (known: ${RUNTIME_NAMES.join(', ')}).${guessSuffix(runtime, RUNTIME_NAMES)}`,
        `Write runtime = "${didYouMean(runtime, RUNTIME_NAMES) ?? 'node'}" (one of ${RUNTIME_NAMES.join(', ')}).`,
      );
    if (!runtimes[runtime as RuntimeName])
      check.fail(
        key('runtime'),
        `${dotted('runtime')} is "${runtime}", but [runtimes] does not pin ${runtime}`,
        `Pin it: poly use ${runtime}@<version>, or add ${runtime} = "<version>" under [runtimes].`,
      );
  }
  const run = str('run');
  const image = str('image');
  const build = str('build');
  if (build !== undefined) insideProject(build, check, key('build'), `${dotted('build')} "${build}"`);
  const database = databaseOf(name, raw, check, (written, path) =>
    insideProject(written, check, path, `${path.join('.')} "${written}"`),
  );
  if (!run && !image && !build && !database)
    check.fail(
      key(),
      `services.${name} has nothing to start: it needs run (a command), image or build`,
      'Add run = "<command>" for a native service, or image = "<image>" for a container.',
    );
  if (image && build) check.fail(key('build'), `services.${name} sets both image and build; keep one`);

  let port: number | 'auto' | undefined;
  if (raw.port !== undefined) port = raw.port === 'auto' ? 'auto' : portOf(raw.port, key('port'), check);

  const { health, timing } = healthOf(raw.health, name, port, check);
  const extras = serviceExtras(name, raw, check, runtime, abs);

  const deps = raw.depends_on ?? [];
  if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string'))
    check.fail(
      key('depends_on'),
      `${dotted('depends_on')} must be an array of service names, got ${describeValue(deps)}`,
      'Write depends_on = ["db", "cache"].',
    );

  const restart = check.oneOf(raw.restart ?? 'on-failure', RESTART, key('restart'), 'on-failure');
  const mode = check.oneOf(raw.mode ?? 'native', MODES, key('mode'), 'native');
  if ((image || build) && raw.mode === 'native')
    check.fail(
      key('mode'),
      `services.${name} has ${image ? 'an image' : 'a build'}, so it always runs as a container; mode = "native" contradicts it`,
      'Remove the mode line, or remove image/build and give it run = "<command>".',
    );

  const hostnames = hostnamesOf(raw.hostnames, key('hostnames'), check);
  const watch = raw.watch;
  if (
    watch !== undefined &&
    (!Array.isArray(watch) || watch.length === 0 || watch.some((w) => typeof w !== 'string' || w === ''))
  )
    check.fail(
      key('watch'),
      `${dotted('watch')} must be a non-empty array of globs, got ${describeValue(watch)}`,
      'Write watch = ["src/**", "package.json"] (relative to the service folder).',
    );
  const deploy = deployOf(raw.deploy, name, check);

  return {
    name,
    path: abs,
    relativePath: relPath,
    ...(runtime ? { runtime: runtime as RuntimeName } : {}),
    ...(run ? { run } : {}),
    // A database listens on a port of its own: "auto" unless poly.toml picks one.
    ...(port !== undefined ? { port } : database ? { port: 'auto' as const } : {}),
    ...(health ? { health } : {}),
    healthTiming: timing,
    dependsOn: deps as string[],
    env: check.envMap(raw.env, key('env')),
    restart: restart as ServiceSpec['restart'],
    stopTimeout:
      raw.stop_timeout === undefined
        ? DEFAULT_STOP_TIMEOUT_MS
        : durationMs(raw.stop_timeout, key('stop_timeout'), check),
    mode: image || build ? 'container' : (mode as ServiceSpec['mode']),
    ...(raw.mode !== undefined ? { modeWritten: true } : {}),
    ...(image ? { image } : {}),
    ...(build ? { build } : {}),
    ...extras,
    ...(database ? { database } : {}),
    ...(hostnames ? { hostnames } : {}),
    ...(watch ? { watch: watch as string[] } : {}),
    ...(deploy ? { deploy } : {}),
  };
}

/** Resolves a path written in poly.toml; refuses one that leaves the project folder. */
export function insideProject(written: string, check: Checker, path: string[], what: string): string {
  const root = check.ctx.root;
  const abs = resolve(root, written);
  if (!isInside(root, abs))
    check.fail(
      path,
      `${what} is outside the project folder ${root}`,
      'Paths are relative to the folder holding poly.toml and must stay inside it.',
    );
  // A symlink inside the project may still lead out of it; only checkable once it exists.
  const real = realPathOrUndefined(abs);
  const realRoot = real === undefined ? undefined : realPathOrUndefined(root);
  if (real && realRoot && !isInside(realRoot, real))
    check.fail(
      path,
      `${what} leads outside the project folder through a symlink (to ${real})`,
      'Point it at a folder inside the project, or move that folder into it.',
    );
  return abs;
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return !(rel.split(sep)[0] === '..' || isAbsolute(rel));
}

function realPathOrUndefined(path: string): string | undefined {
  // existsSync first: a thrown ENOENT costs far more than the check (the manifest is read on hot paths).
  if (!existsSync(path)) return undefined;
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

function healthOf(
  h: unknown,
  name: string,
  port: number | 'auto' | undefined,
  check: Checker,
): { health?: HealthCheck; timing: HealthTiming } {
  const path = ['services', name, 'health'];
  const timing: HealthTiming = { ...DEFAULT_HEALTH_TIMING };
  let health: HealthCheck | undefined;
  if (h === undefined) return { timing };
  if (typeof h === 'string') {
    if (!h.startsWith('/'))
      check.fail(
        path,
        `services.${name}.health must be an HTTP path starting with "/", got ${describeValue(h)}`,
        `Write health = "/${h.replace(/^\/*/, '')}", or { tcp = PORT } / { cmd = "..." }.`,
      );
    health = { kind: 'http', path: h };
  } else if (isTable(h)) {
    check.unknownKeys(h, HEALTH_KEYS, path);
    const kinds = ['path', 'tcp', 'cmd'].filter((k) => h[k] !== undefined);
    // Timing alone (health = { start_period = "3m" }) checks the service's port over TCP.
    if (kinds.length > 1 || (kinds.length === 0 && port === undefined))
      check.fail(
        path,
        kinds.length > 1
          ? `services.${name}.health needs exactly one of path, tcp or cmd, got ${kinds.join(' and ')}`
          : `services.${name}.health has only timing keys, which check the service's port, but the service has no port`,
        'Examples: health = { path = "/health" }, { tcp = 5432 }, { cmd = "pg_isready" }.',
      );
    if (kinds.length === 0) {
      // no check of its own: the port
    } else if (h.path !== undefined) {
      if (typeof h.path !== 'string' || !h.path.startsWith('/'))
        check.fail(
          [...path, 'path'],
          `services.${name}.health.path must be an HTTP path starting with "/", got ${describeValue(h.path)}`,
        );
      health = { kind: 'http', path: h.path as string };
    } else if (h.tcp !== undefined) {
      health = { kind: 'tcp', port: portOf(h.tcp, [...path, 'tcp'], check) };
    } else {
      if (typeof h.cmd !== 'string' || h.cmd.trim() === '')
        check.fail(
          [...path, 'cmd'],
          `services.${name}.health.cmd must be a non-empty command string, got ${describeValue(h.cmd)}`,
        );
      health = { kind: 'cmd', cmd: h.cmd as string };
    }
    if (h.interval !== undefined) timing.interval = durationMs(h.interval, [...path, 'interval'], check);
    if (h.timeout !== undefined) timing.timeout = durationMs(h.timeout, [...path, 'timeout'], check);
    if (h.start_period !== undefined)
      timing.startPeriod = durationMs(h.start_period, [...path, 'start_period'], check);
    if (h.start_interval !== undefined)
      timing.startInterval = durationMs(h.start_interval, [...path, 'start_interval'], check);
    if (h.retries !== undefined) {
      if (typeof h.retries !== 'number' || !Number.isInteger(h.retries) || h.retries < 1)
        check.fail(
          [...path, 'retries'],
          `services.${name}.health.retries must be a positive integer, got ${describeValue(h.retries)}`,
          'Write retries = 30 (no quotes).',
        );
      timing.retries = h.retries as number;
    }
  } else {
    check.fail(
      path,
      `services.${name}.health must be an HTTP path like "/health", { tcp = PORT } or { cmd = "..." }, got ${describeValue(h)}`,
    );
  }
  if (health?.kind === 'http' && port === undefined)
    check.fail(
      path,
      `services.${name}.health is an HTTP path but the service has no port`,
      'Add port = <number> or port = "auto".',
    );
  return { ...(health ? { health } : {}), timing };
}

const DURATION_EXAMPLE: Record<string, string> = {
  stop_timeout: '10s',
  start_period: '5m',
  start_interval: '500ms',
};

/** A manifest duration in ms: a number of seconds (like docker compose's), or "500ms", "10s", "2m". */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value * 1000);
  if (typeof value === 'string') {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value.trim());
    if (m?.[1]) return Math.round(Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60000));
  }
  return undefined;
}

function durationMs(value: unknown, path: string[], check: Checker): number {
  const ms = parseDuration(value);
  if (ms !== undefined) return ms;
  return check.fail(
    path,
    `${path.join('.')} must be a duration like "10s", "500ms", "2m" or a number of seconds, got ${describeValue(value)}`,
    `Write ${path[path.length - 1]} = "${DURATION_EXAMPLE[path[path.length - 1] ?? ''] ?? '1s'}".`,
  );
}

function portOf(value: unknown, path: string[], check: Checker): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535)
    check.fail(
      path,
      `${path.join('.')} must be an integer 1-65535, got ${describeValue(value)}`,
      path[path.length - 1] === 'port'
        ? 'Write a number like port = 3000, or port = "auto" to pick a free port.'
        : 'Write a number like tcp = 5432.',
    );
  return value as number;
}
