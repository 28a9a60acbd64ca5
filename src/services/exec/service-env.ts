import { join } from 'node:path';
import type { PeerEndpoint } from '../../core/env/service-env/peers.js';
import type { Side } from '../../core/env/service-env/types.js';
import type { EnvironmentDelta } from '../../core/env/types.js';
import type { Manifest, ServiceSpec } from '../../core/manifest/types.js';
import { unknownService } from '../../core/manifest/unknown-service.js';
import { MANIFEST_FILE, projectLayout, storeLayout } from '../../core/store/layout.js';
import { isProcessRunning } from '../../core/supervisor/process-alive.js';

/** Which service a `poly exec` runs as: `--service`, else the service whose folder holds cwd. */
export function execService(delta: EnvironmentDelta, cwd: string, named?: string): string | undefined {
  if (named) return named;
  let found: string | undefined;
  let depth = -1;
  for (const [name, dir] of Object.entries(delta.serviceDirs ?? {})) {
    if (dir === delta.root) continue; // the project folder itself is everyone's
    const inside = cwd === dir || cwd.startsWith(`${dir}/`);
    if (inside && dir.length > depth) {
      found = name;
      depth = dir.length;
    }
  }
  return found;
}

/**
 * The environment a command gets as `service` would (its venv, env_files,
 * [env], env, and the variables of its peers that run now), rendered for
 * `side`. The service's venv is built first when it has its own.
 */
export async function serviceCommandEnv(
  delta: EnvironmentDelta,
  service: string,
  side: Side,
  host: NodeJS.ProcessEnv,
): Promise<{ env: Record<string, string>; manifest: Manifest; spec: ServiceSpec }> {
  const [render, { manifest, spec, inputs: commandIn }] = await Promise.all([
    import('../../core/env/service-env/render.js'),
    serviceCommandInputs(delta, service, host),
  ]);
  // A peer's variable that is not running reads as empty: the command is not the service.
  const options = { onUnset: () => {} };
  if (side === 'native') return { env: render.renderNativeEnv(commandIn, options).env, manifest, spec };
  const [{ toolchainMounts }, { projectToolchains }] = await Promise.all([
    import('../../core/docker/service-container-spec.js'),
    import('../up/containers.js'),
  ]);
  const env = render.renderContainerEnv(commandIn, {
    mounts: toolchainMounts(projectToolchains(manifest, storeLayout(host))),
    projectRoot: manifest.root,
    ownImage: false,
  }).env;
  return { env, manifest, spec };
}

/**
 * What a command run as `service` is composed from, shared by `poly exec` and the shell hook in a
 * service's folder: its spec, its venv (built first when it has its own; `venvCreated` when this call
 * built it) and the inputs with the peers that run now.
 */
export async function serviceCommandInputs(
  delta: EnvironmentDelta,
  service: string,
  host: NodeJS.ProcessEnv,
) {
  const root = delta.root as string;
  const [{ readManifestFile }, { commandInputs }, { serviceVenv }] = await Promise.all([
    import('../../core/manifest/load.js'),
    import('../env/command-env.js'),
    import('../../core/env/service-env/inputs.js'),
  ]);
  const manifest = readManifestFile(join(root, MANIFEST_FILE));
  const spec = manifest.services[service];
  if (!spec) throw unknownService(MANIFEST_FILE, service, Object.keys(manifest.services));
  const venv = serviceVenv(spec, delta);
  const python = delta.toolchains.find((t) => t.runtime === 'python');
  let venvCreated = false;
  if (venv && python) {
    const { ensureVenv, venvState } = await import('../../core/env/venv.js');
    venvCreated = venvState(venv) !== 'ready';
    ensureVenv(venv, python);
  }
  const inputs = commandInputs(manifest, delta, host, spec, await runningPeers(root));
  return { manifest, spec, venv, venvCreated, python, inputs };
}

/** The services of the project's running supervisor, as endpoints (their host ports). */
export async function runningPeers(root: string): Promise<PeerEndpoint[]> {
  const { readSupervisorFile } = await import('../../core/supervisor/host.js');
  const info = readSupervisorFile(projectLayout(root));
  if (!info || !isProcessRunning(info.pid)) return [];
  return info.services.flatMap((s) =>
    s.port !== undefined ? [{ name: s.name, mode: s.mode, hostPort: s.port }] : [],
  );
}
