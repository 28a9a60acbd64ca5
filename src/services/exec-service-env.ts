import { join } from 'node:path';
import type { PeerEndpoint } from '../core/env/service-env/peers.js';
import type { Side } from '../core/env/service-env/types.js';
import type { EnvironmentDelta } from '../core/env/types.js';
import { PolyError } from '../core/errors.js';
import type { Manifest, ServiceSpec } from '../core/manifest/types.js';
import { MANIFEST_FILE, projectLayout } from '../core/store/layout.js';

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
  const root = delta.root as string;
  const [{ readManifestFile }, { commandInputs }, render, inputs] = await Promise.all([
    import('../core/manifest/load.js'),
    import('./command-env.js'),
    import('../core/env/service-env/render.js'),
    import('../core/env/service-env/inputs.js'),
  ]);
  const manifest = readManifestFile(join(root, MANIFEST_FILE));
  const spec = manifest.services[service];
  if (!spec)
    throw new PolyError('UNKNOWN_SERVICE', `poly.toml has no service "${service}"`, {
      hint: `Services: ${Object.keys(manifest.services).join(', ') || 'none'}.`,
      exitCode: 2,
    });
  const venv = inputs.serviceVenv(spec, delta);
  const python = delta.toolchains.find((t) => t.runtime === 'python');
  if (venv && python) (await import('../core/env/venv.js')).ensureVenv(venv, python);
  const commandIn = commandInputs(manifest, delta, host, spec, await runningPeers(root));
  // A peer's variable that is not running reads as empty: the command is not the service.
  const options = { onUnset: () => {} };
  if (side === 'native') return { env: render.renderNativeEnv(commandIn, options).env, manifest, spec };
  const [{ toolchainMounts }, { projectToolchains }] = await Promise.all([
    import('../core/docker/service-container-spec.js'),
    import('./up-containers.js'),
  ]);
  const env = render.renderContainerEnv(commandIn, {
    mounts: toolchainMounts(projectToolchains(manifest)),
    projectRoot: manifest.root,
    ownImage: false,
  }).env;
  return { env, manifest, spec };
}

/** The services of the project's running supervisor, as endpoints (their host ports). */
export async function runningPeers(root: string): Promise<PeerEndpoint[]> {
  const { readSupervisorFile } = await import('../core/supervisor/host.js');
  const info = readSupervisorFile(projectLayout(root));
  if (!info || !isAlive(info.pid)) return [];
  return info.services.flatMap((s) =>
    s.port !== undefined ? [{ name: s.name, mode: s.mode, hostPort: s.port }] : [],
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
