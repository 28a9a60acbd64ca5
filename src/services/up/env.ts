import type { PolyContext } from '../../core/context.js';
import { containerPortOf, toolchainMounts } from '../../core/docker/service-container-spec.js';
import { type ServiceEnvContext, serviceEnvInputs, serviceVenv } from '../../core/env/service-env/inputs.js';
import type { PeerEndpoint } from '../../core/env/service-env/peers.js';
import { renderContainerEnv, renderNativeEnv } from '../../core/env/service-env/render.js';
import type { EnvSource } from '../../core/env/service-env/types.js';
import type { EnvironmentDelta } from '../../core/env/types.js';
import type { Manifest, ServiceSpec } from '../../core/manifest/types.js';
import { type EnvEvent, projectDelta } from '../env/project-env.js';

/** One service's environment for the side it runs on, and what its health `cmd` runs with. */
export interface PlannedEnv {
  /** What the runner starts it with: the native environment, or its container's. */
  env: Record<string, string>;
  /** The native rendering, for a `cmd` health check, which runs on this machine (container services only). */
  checkEnv?: Record<string, string>;
  /** `run`, interpolated for its side. */
  run?: string;
  /** Where each variable of `env` came from. */
  sources: Record<string, EnvSource>;
}

/**
 * The project's environment delta with missing pins installed and venvs
 * built (the project's, and each Python service's own `venv`).
 */
export async function planEnvironmentBase(
  manifest: Manifest,
  ctx: PolyContext,
  onEvent?: (event: EnvEvent) => void,
): Promise<EnvironmentDelta> {
  const delta = await projectDelta(manifest.root, {
    ctx,
    ...(onEvent ? { onEvent } : {}),
  });
  const python = delta.toolchains.find((t) => t.runtime === 'python');
  if (python) {
    const { ensureVenv } = await import('../../core/env/venv.js');
    for (const spec of Object.values(manifest.services)) {
      const venv = serviceVenv(spec, delta);
      if (venv) ensureVenv(venv, python);
    }
  }
  return delta;
}

/**
 * Every planned service's environment from the one pipeline
 * (src/core/env/service-env): inputs with provenance, rendered for the side
 * the service runs on. Throws a PolyError naming poly.toml's line and column
 * for an unknown variable or a cycle.
 */
export function planEnvironments(
  manifest: Manifest,
  delta: EnvironmentDelta,
  specs: readonly ServiceSpec[],
  ports: Readonly<Record<string, number>>,
  peers: readonly PeerEndpoint[],
  host: Readonly<Record<string, string | undefined>>,
): Record<string, PlannedEnv> {
  const ctx: ServiceEnvContext = { manifest, delta, host, peers };
  const mounts = toolchainMounts(delta.toolchains);
  const out: Record<string, PlannedEnv> = {};
  for (const spec of specs) {
    const hostPort = ports[spec.name];
    const port =
      hostPort === undefined
        ? undefined
        : {
            native: hostPort,
            container: spec.mode === 'container' ? containerPortOf(spec, hostPort) : hostPort,
          };
    const inputs = serviceEnvInputs(ctx, spec, port);
    const native = renderNativeEnv(inputs);
    if (spec.mode !== 'container') {
      out[spec.name] = {
        env: native.env,
        sources: native.sources,
        ...(native.run !== undefined ? { run: native.run } : {}),
      };
      continue;
    }
    const ownImage = Boolean(spec.image || spec.build);
    const container = renderContainerEnv(inputs, {
      mounts: ownImage ? [] : mounts,
      projectRoot: manifest.root,
      ownImage,
    });
    out[spec.name] = {
      env: container.env,
      sources: container.sources,
      checkEnv: native.env,
      ...(container.run !== undefined ? { run: container.run } : {}),
    };
  }
  return out;
}
