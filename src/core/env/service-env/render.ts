import { delimiter, sep } from 'node:path';
import { CONTAINER_DEFAULT_PATH, type ToolchainMount, toContainerPath } from '../../docker/container-env.js';
import { type PeerEndpoint, peerEnv } from './peers.js';
import { type Resolved, type ResolveOptions, resolveDefinitions } from './resolve.js';
import type { EnvDefinition, EnvSource, RenderedEnv, Side, ToolchainEnv, ValueSite } from './types.js';

/**
 * Everything one service's environment is made of, before it is rendered for
 * a side. Precedence, lowest first: the host's environment (native only),
 * the toolchains and venv, poly's PORT and HOST, the peers' variables, then
 * what the user wrote (env_file, [env], the service's env), which wins.
 */
export interface ServiceEnvInputs {
  /** The service's name; '' for a command outside any service (`poly exec`), which gets no HOST. */
  service: string;
  /** This process's environment: where a native service starts from; a container never inherits it. */
  host: Readonly<Record<string, string | undefined>>;
  toolchain: ToolchainEnv;
  /** env_file values (the project's files, then the service's), [env], the service's env: in that order. */
  written: readonly EnvDefinition[];
  /** The port the service listens on, per side (an image service listens on its own port inside). */
  port?: { native: number; container: number };
  peers: readonly PeerEndpoint[];
  run?: { value: string; site?: ValueSite };
}

/** How a container differs from the host: where the toolchains are mounted. */
export interface ContainerLayout {
  /** The toolchains mounted into a runtime service's container; none for image and build services. */
  mounts: readonly ToolchainMount[];
  /** The project folder, mounted at the same path. */
  projectRoot: string;
  /** Image and build services keep their image's PATH and get no toolchain variables. */
  ownImage: boolean;
}

/** The service's environment as a native process gets it: the host's, with everything else on top. */
export function renderNativeEnv(
  inputs: ServiceEnvInputs,
  options: Pick<ResolveOptions, 'onUnset'> = {},
): RenderedEnv {
  const defs: EnvDefinition[] = [];
  const removed = new Set(inputs.toolchain.unset);
  for (const [name, value] of Object.entries(inputs.host))
    if (value !== undefined && !removed.has(name)) defs.push(fixed(name, value, 'host'));
  const { pathPrepend } = inputs.toolchain;
  if (pathPrepend.length) {
    const hostPath = inputs.host.PATH;
    defs.push(fixed('PATH', [...pathPrepend, ...(hostPath ? [hostPath] : [])].join(delimiter), 'toolchain'));
  }
  for (const [name, value] of Object.entries(inputs.toolchain.set))
    defs.push(fixed(name, value, 'toolchain'));
  return finish(inputs, defs, 'native', options);
}

/**
 * The service's environment inside its container. Nothing of the host's
 * environment goes in unless an input put it there (the host's HOME, SSH
 * agent or DOCKER_HOST stay outside); what the user wrote always does, even
 * when the host has the same value. Interpolation may still read the host's
 * variables (`${HOME}`), as docker compose's does.
 */
export function renderContainerEnv(inputs: ServiceEnvInputs, layout: ContainerLayout): RenderedEnv {
  const defs: EnvDefinition[] = [];
  if (!layout.ownImage) {
    defs.push(fixed('PATH', containerPath(inputs.toolchain.pathPrepend, layout), 'toolchain'));
    for (const [name, value] of Object.entries(inputs.toolchain.set))
      defs.push(fixed(name, toContainerPath(value, layout.mounts), 'toolchain'));
  }
  return finish(inputs, defs, 'container', {
    fallback: (name) => inputs.host[name],
  });
}

function finish(
  inputs: ServiceEnvInputs,
  defs: EnvDefinition[],
  side: Side,
  options: ResolveOptions,
): RenderedEnv {
  if (inputs.port) {
    defs.push(fixed('PORT', String(side === 'native' ? inputs.port.native : inputs.port.container), 'poly'));
  }
  // Where a service binds: reachable through the published port in a container, loopback only on the host.
  if (inputs.service !== '') defs.push(fixed('HOST', side === 'native' ? '127.0.0.1' : '0.0.0.0', 'poly'));
  for (const [name, value] of Object.entries(peerEnv(inputs.peers, side)))
    defs.push(fixed(name, value, 'peer'));
  defs.push(...inputs.written);
  const resolved: Resolved = resolveDefinitions(defs, options);
  return {
    env: resolved.env,
    sources: resolved.sources,
    ...(inputs.run ? { run: resolved.interpolate(inputs.run.value, inputs.run.site) } : {}),
  };
}

function fixed(name: string, value: string, source: EnvSource): EnvDefinition {
  return { name, value, source, template: false };
}

function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/**
 * A container's PATH: the entries inside a toolchain (at their /opt/poly
 * paths) or inside the project (mounted at the same path, e.g. the venv),
 * every mounted toolchain's bin, then the image's default PATH.
 */
function containerPath(pathPrepend: readonly string[], layout: ContainerLayout): string {
  const kept = pathPrepend
    .filter((p) => layout.mounts.some((m) => isUnder(p, m.hostDir)) || isUnder(p, layout.projectRoot))
    .map((p) => toContainerPath(p, layout.mounts));
  for (const m of layout.mounts) {
    const bin = `${m.containerDir}/bin`;
    if (!kept.some((p) => isUnder(p, m.containerDir))) kept.push(bin);
  }
  return [...new Set([...kept, ...CONTAINER_DEFAULT_PATH.split(':')])].join(':');
}
