import { projectWritten, serviceEnvInputs, toolchainEnv } from '../../core/env/service-env/inputs.js';
import type { PeerEndpoint } from '../../core/env/service-env/peers.js';
import type { ServiceEnvInputs } from '../../core/env/service-env/render.js';
import type { EnvironmentDelta } from '../../core/env/types.js';
import type { Manifest, ServiceSpec } from '../../core/manifest/types.js';

/**
 * What a command run by the user (`poly exec`, `poly new`'s install steps)
 * is given: the project's environment, or, in a service's folder or with
 * `--service`, that service's (its venv, env_files, env, and its running
 * peers' variables). No PORT: the command is not the service.
 */
export function commandInputs(
  manifest: Manifest,
  delta: EnvironmentDelta,
  host: Readonly<Record<string, string | undefined>>,
  service?: ServiceSpec,
  peers: readonly PeerEndpoint[] = [],
): ServiceEnvInputs {
  if (service) {
    const { run: _run, ...inputs } = serviceEnvInputs({ manifest, delta, host, peers }, service, undefined);
    return inputs;
  }
  return {
    service: '',
    host,
    toolchain: toolchainEnv(delta),
    written: projectWritten(manifest, host),
    peers: [],
  };
}
