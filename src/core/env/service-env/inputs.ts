import { join } from 'node:path';
import type { Manifest, ServiceSpec } from '../../manifest/types.js';
import { envFileDefinitions } from '../dotenv.js';
import type { EnvironmentDelta, VenvInfo } from '../types.js';
import type { PeerEndpoint } from './peers.js';
import type { ServiceEnvInputs } from './render.js';
import type { EnvDefinition, ToolchainEnv } from './types.js';
import { projectEnvDefinitions, runTemplate, serviceEnvDefinitions } from './written.js';

/** What a service's environment is built from, beyond poly.toml. */
export interface ServiceEnvContext {
  manifest: Manifest;
  /** The project's environment delta (loadEnvironment), with `toolchainSet`. */
  delta: EnvironmentDelta;
  /** The environment poly runs in. */
  host: Readonly<Record<string, string | undefined>>;
  /** The other services' endpoints (and this one's, which is skipped). */
  peers: readonly PeerEndpoint[];
}

/** A Python service's own venv, when it sets `venv`: built on the project's pinned Python. */
export function serviceVenv(spec: Pick<ServiceSpec, 'venv'>, delta: EnvironmentDelta): VenvInfo | undefined {
  const python = delta.toolchains.find((t) => t.runtime === 'python');
  if (!spec.venv || !python) return undefined;
  return { dir: spec.venv, binDir: join(spec.venv, 'bin'), pythonVersion: python.version };
}

/** The toolchains' part of the delta, with the service's own venv in place of the project's. */
export function toolchainEnv(delta: EnvironmentDelta, venv?: VenvInfo): ToolchainEnv {
  const set = { ...(delta.toolchainSet ?? delta.set) };
  let pathPrepend = [...delta.pathPrepend];
  if (venv) {
    pathPrepend = [venv.binDir, ...pathPrepend.filter((p) => p !== delta.venv?.binDir)];
    set.VIRTUAL_ENV = venv.dir;
  }
  return { pathPrepend, set, unset: [...delta.unset, ...(venv ? ['PYTHONHOME'] : [])] };
}

/** What the user wrote for the project: [project] env_file, then [env]. */
export function projectWritten(manifest: Manifest, host: ServiceEnvContext['host']): EnvDefinition[] {
  return [
    ...envFileDefinitions(manifest.project.envFiles ?? [], host, '[project]'),
    ...projectEnvDefinitions(manifest),
  ];
}

/**
 * One service's inputs: project env_files, the service's env_files, [env],
 * then its own env (later wins); PORT as each side listens; its peers.
 */
export function serviceEnvInputs(
  ctx: ServiceEnvContext,
  spec: ServiceSpec,
  port: { native: number; container: number } | undefined,
): ServiceEnvInputs {
  const { manifest, host } = ctx;
  const written = [
    ...envFileDefinitions(manifest.project.envFiles ?? [], host, '[project]'),
    ...envFileDefinitions(spec.envFiles ?? [], host, `services.${spec.name}`),
    ...projectEnvDefinitions(manifest),
    ...serviceEnvDefinitions(manifest, spec),
  ];
  const run = runTemplate(manifest, spec);
  return {
    service: spec.name,
    host,
    toolchain: toolchainEnv(ctx.delta, serviceVenv(spec, ctx.delta)),
    written,
    ...(port ? { port } : {}),
    peers: ctx.peers,
    ...(run ? { run } : {}),
  };
}
