import type { DeploySpec, HealthCheck, HealthTiming, RestartPolicy } from '../manifest/types.js';

/** Where a runtime service with `port = "auto"` listens inside its container (each has its own). */
export const AUTO_CONTAINER_PORT = 8080;

/** How an exported service gets its image. */
export type ImageSource =
  | { kind: 'image'; image: string }
  /** Absolute Dockerfile; its folder is the build context (as `poly up` builds it). */
  | { kind: 'build'; dockerfile: string; image: string }
  /** A runtime service: the image `poly build` produces. */
  | { kind: 'runtime'; image: string };

export interface ExportedService {
  name: string;
  source: ImageSource;
  /** The port it listens on inside its container. */
  port?: number;
  /** poly.toml fixes the port (not "auto"): published on the same host port. */
  portIsFixed: boolean;
  env: Record<string, string>;
  health?: HealthCheck;
  healthTiming: HealthTiming;
  dependsOn: string[];
  restart: RestartPolicy;
  stopTimeoutMs: number;
  deploy?: DeploySpec;
  /** A database's data folder in its image: a named volume (compose, Swarm) or a PVC (a StatefulSet). */
  data?: { volume: string; path: string };
  /** Variables whose value comes from an env_file marked `secret = true` (a Kubernetes Secret). */
  secretNames?: string[];
}

export interface ExportPlan {
  project: string;
  /** [env]: the project-wide variables (a ConfigMap in Kubernetes). */
  projectEnv: Record<string, string>;
  services: ExportedService[];
}

/** "My Shop" -> "my-shop": a name valid in image references and Kubernetes (DNS-1123). Pure. */
export function exportName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 63).replace(/-+$/, '') || 'poly';
}

/** The image `poly build` gives a runtime service: `<project>-<service>:latest`. Pure. */
export function builtImageName(project: string, service: string): string {
  return `${exportName(project)}-${exportName(service)}:latest`;
}

/** The check an exported service runs: its `health`, else a TCP check of its port, else none. Pure. */
export function exportedHealth(service: ExportedService): HealthCheck | undefined {
  if (service.health) return service.health;
  return service.port !== undefined ? { kind: 'tcp', port: service.port } : undefined;
}
