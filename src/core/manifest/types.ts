/** The validated, typed form of poly.toml. Produced only by loadManifest(). */

export const RUNTIME_NAMES = ['node', 'python', 'go', 'java', 'rust'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

export function isRuntimeName(name: string): name is RuntimeName {
  return (RUNTIME_NAMES as readonly string[]).includes(name);
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
  | { kind: 'cmd'; cmd: string };

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
}

/** How long a fresh start may take to become healthy. */
export function startWindowMs(timing: HealthTiming): number {
  return timing.startPeriod ?? timing.interval * timing.retries;
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
  mode: ServiceMode;
  image?: string;
  build?: string;
  /** `[services.x.deploy]`: read by `poly export` only. */
  deploy?: DeploySpec;
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
}
