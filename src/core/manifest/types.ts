/** The validated, typed form of poly.toml. Produced only by loadManifest(). */

import type { ValueSites } from './value-sites.js';

export const RUNTIME_NAMES = ['node', 'python', 'go', 'java', 'rust'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

export function isRuntimeName(name: string): name is RuntimeName {
  return (RUNTIME_NAMES as readonly string[]).includes(name);
}

/** Databases a service can `use` (installed as packages: see packages/). */
export const DATABASE_NAMES = ['postgres', 'redis', 'valkey', 'mariadb'] as const;
export type DatabaseName = (typeof DATABASE_NAMES)[number];

/** `use = "postgres@16"` and the keys that go with it. Defaults are filled in by the database's recipe. */
export interface DatabaseSpec {
  name: DatabaseName;
  /** The version spec after "@" ("16", "16.4"), or "latest". */
  spec: string;
  database?: string;
  user?: string;
  password?: string;
  /** SQL files run once, in order, on a fresh data folder: absolute paths. */
  init: string[];
  /** Server settings (postgresql.conf names). */
  config: Record<string, string>;
}

export interface RuntimePin {
  runtime: RuntimeName;
  /** The version spec as written: "22", "^3.12", "lts", "stable", "21", "system". */
  spec: string;
  /** Java only: "temurin" (the default distribution). */
  distribution?: string;
  /** Node only: "official" (default) or "npm" (the npm registry npm is configured with). */
  source?: 'official' | 'npm';
  /** Python only: venv folder relative to the project root, or false to turn it off. Default ".venv". */
  venv?: string | false;
}

export type HealthCheck =
  | { kind: 'http'; path: string }
  | { kind: 'tcp'; port: number }
  | { kind: 'cmd'; cmd: string }
  /** A database's own readiness handshake (set by `use`, see src/core/databases). */
  /** `dataDir`: a native server's data folder, whose postmaster.pid says when it is ready. */
  | { kind: 'postgres'; user: string; dataDir?: string }
  | { kind: 'redis' }
  /** The MySQL protocol's server greeting (mariadb services). */
  | { kind: 'mysql' };

export interface HealthTiming {
  /** Milliseconds between checks. */
  interval: number;
  /** Milliseconds one check may take. */
  timeout: number;
  /** Failed checks in a row before the service counts as unhealthy. */
  retries: number;
  /**
   * Milliseconds a fresh start has to pass its first check (docker compose's
   * start_period), for services that compile before they listen. Default: interval * retries.
   */
  startPeriod?: number;
  /**
   * Milliseconds between checks until the first success (compose's
   * start_interval); then `interval`. Default DEFAULT_START_INTERVAL_MS.
   */
  startInterval?: number;
}

/** How long a fresh start may take to become healthy. */
export function startWindowMs(timing: HealthTiming): number {
  return timing.startPeriod ?? timing.interval * timing.retries;
}

/** One `env_file` entry: a dotenv file whose variables the environment gets. */
export interface EnvFileRef {
  /** Absolute path. */
  path: string;
  /** As written in poly.toml. */
  written: string;
  /** A missing file is an error unless `required = false`. */
  required: boolean;
  /** `secret = true`: `poly export kubernetes` puts its variables in a Secret, not in the pod spec. */
  secret?: boolean;
}

export type RestartPolicy = 'on-failure' | 'always' | 'no';
export type ServiceMode = 'native' | 'container';

export interface ServiceSpec {
  name: string;
  /** Absolute working directory (validated to lie inside the project root). */
  path: string;
  /** Path as written in poly.toml, relative to the project root. */
  relativePath: string;
  runtime?: RuntimeName;
  run?: string;
  port?: number | 'auto';
  health?: HealthCheck;
  healthTiming: HealthTiming;
  dependsOn: string[];
  env: Record<string, string>;
  restart: RestartPolicy;
  /** Milliseconds between SIGTERM and SIGKILL. */
  stopTimeout: number;
  /** The signal that asks it to stop (default SIGTERM); PostgreSQL's fast shutdown is SIGINT. */
  stopSignal?: 'SIGINT' | 'SIGTERM';
  mode: ServiceMode;
  image?: string;
  build?: string;
  /** `env_file` of the service, after the project's. */
  envFiles?: EnvFileRef[];
  /** Python services: the service's own venv folder (absolute), instead of the project's. */
  venv?: string;
  /** `protocol = "http"`: `poly ps` shows an http URL (also implied by an HTTP health check). */
  protocol?: 'http' | 'tcp';
  /** True when poly.toml sets `mode` on the service itself (it then wins over [project] mode). */
  modeWritten?: boolean;
  /** Set by `use = "<database>@<version>"`. */
  database?: DatabaseSpec;
  /** Container mode of a `use` database: its data volume, init files and command (set by core/databases). */
  container?: ContainerExtras;
  /** Extra names the HTTPS proxy serves this service under (besides `<service>.<domain>`). */
  hostnames?: string[];
  /** Globs (relative to path) whose change restarts the service, like compose's develop.watch restart. */
  watch?: string[];
  /** `[services.x.deploy]`: read by `poly export` only. */
  deploy?: DeploySpec;
}

/** What a database recipe adds to its image's container: no shell, no paths outside the project. */
export interface ContainerExtras {
  /** Named volumes (created with the project's labels, so `poly down --volumes` removes them). */
  volumes: { name: string; target: string }[];
  /** Read-only files of the project (init SQL into /docker-entrypoint-initdb.d). */
  binds: { source: string; target: string; readOnly: boolean }[];
  /** Replaces the image's CMD, as an argument array (the image's entrypoint still runs). */
  cmd?: string[];
}

/** Replicas and resource requests on an orchestrator. Quantities as Kubernetes writes them. */
export interface DeploySpec {
  replicas?: number;
  /** Cores ("0.5") or millicores ("250m"). */
  cpu?: string;
  /** "256Mi", "1Gi", "512M". */
  memory?: string;
}

export interface ProjectSection {
  name: string;
  mode?: ServiceMode;
  baseImage?: string;
  /** `env_file` of [project]: every command and service reads them, before [env]. */
  envFiles?: EnvFileRef[];
  /** Suffix of the services' HTTPS names; default `<name>.localhost`. */
  domain?: string;
}

export interface Manifest {
  /** Absolute path of poly.toml. */
  file: string;
  /** Absolute folder holding poly.toml. */
  root: string;
  project: ProjectSection;
  runtimes: Partial<Record<RuntimeName, RuntimePin>>;
  env: Record<string, string>;
  services: Record<string, ServiceSpec>;
  /** Where interpolated values start in poly.toml, for messages (see value-sites.ts). */
  sites?: ValueSites;
  /** Every task, project ones by name ("test"), service ones as "api:test". */
  tasks?: Record<string, TaskSpec>;
}

/** One [tasks.<name>] or [services.<s>.tasks] entry, with its dependencies resolved. */
export interface TaskSpec {
  /** "test" for a project task, "api:test" for a task of service api. */
  id: string;
  name: string;
  /** The service whose folder and environment it runs in; absent for a project task. */
  service?: string;
  /** Command lines run in order (empty for a task that only groups its dependencies). */
  run: string[];
  /** Task ids that must pass first. */
  dependsOn: string[];
  /** Services started (with their dependencies) and healthy before it runs, stopped after. */
  needsServices: string[];
  /** Globs relative to dir. */
  sources: string[];
  outputs: string[];
  env: Record<string, string>;
  /** Absolute working folder (inside the project). */
  dir: string;
  description?: string;
  /** Do not echo the commands it runs. */
  quiet: boolean;
}
