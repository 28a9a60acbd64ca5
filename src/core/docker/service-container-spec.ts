import { resolve } from 'node:path';
import { PolyError } from '../errors.js';
import type { ServiceSpec } from '../manifest/types.js';
import type { InstalledToolchain } from '../runtimes/installed.js';
import { containerToolchainDir, type ToolchainMount, toolchainBinds } from './container-env.js';
import { type ContainerSpec, withConfigHash } from './container-spec.js';
import { containerName, LABEL_SERVICE, type ProjectRef, projectLabels, projectSlug } from './labels.js';
import { HOST_ALIAS } from './service-urls.js';
import { cacheVolumeFor } from './volumes.js';

/** A Debian base with glibc and libstdc++, which the mounted toolchains (node, java, go, rust, python) link against. */
export const DEFAULT_BASE_IMAGE = 'debian:bookworm-slim';

export interface ContainerProject extends ProjectRef {
  /** `[project] base_image`. */
  baseImage?: string;
}

/** Which image a service runs and where it comes from. */
export type ServiceImage =
  | { kind: 'runtime'; ref: string }
  | { kind: 'image'; ref: string }
  | { kind: 'build'; ref: string; dockerfile: string };

export function serviceImage(project: ContainerProject, service: ServiceSpec): ServiceImage {
  if (service.image) return { kind: 'image', ref: service.image };
  if (service.build) {
    return {
      kind: 'build',
      ref: `${projectSlug(project)}-${service.name}:latest`.toLowerCase(),
      dockerfile: resolve(project.root, service.build),
    };
  }
  return { kind: 'runtime', ref: project.baseImage || DEFAULT_BASE_IMAGE };
}

export function toolchainMounts(toolchains: readonly InstalledToolchain[]): ToolchainMount[] {
  return toolchains.map((t) => ({
    runtime: t.runtime,
    version: t.version,
    hostDir: t.dir,
    containerDir: containerToolchainDir(t.runtime, t.version),
  }));
}

export interface ServiceContainerInput {
  project: ContainerProject;
  service: ServiceSpec;
  /** The service's container environment, as renderContainerEnv() made it (src/core/env/service-env). */
  env: Readonly<Record<string, string>>;
  /** The port published on 127.0.0.1 (and, for runtime services, the port inside too). */
  port?: number;
  toolchains: readonly InstalledToolchain[];
  image: ServiceImage;
  imageId?: string;
  network?: { name: string };
  /** What host.docker.internal maps to: the project gateway IP, or "host-gateway". */
  hostGateway: string;
  /** "uid:gid" to run as (so files in the project stay the user's); undefined runs as the image's user. */
  user?: string;
  /** Name of the dependency-cache volume for the service's runtime, when there is one. */
  cacheVolume?: string;
}

/** The port the service listens on inside its container. */
export function containerPortOf(service: ServiceSpec, hostPort: number): number {
  // An image service listens where its image does (postgres: 5432); a runtime service on the port poly gives it.
  return service.image || service.build
    ? typeof service.port === 'number'
      ? service.port
      : hostPort
    : hostPort;
}

/**
 * The container one service runs in, with its config hash. Pure.
 * - runtime service: the base image, poly's toolchains mounted read-only at
 *   /opt/poly/<runtime>/<version>, the project folder mounted read-write at
 *   the SAME path (so project paths in the env need no translation), `run`
 *   through /bin/sh in the service folder, a cache volume for its package manager.
 * - image / build service: that image with its own command (or `run`), no mounts.
 */
export function serviceContainerSpec(input: ServiceContainerInput): ContainerSpec {
  const { project, service, image } = input;
  const isRuntime = image.kind === 'runtime';
  const mounts = isRuntime ? toolchainMounts(input.toolchains) : [];
  const env: Record<string, string> = { ...input.env };
  const cache = isRuntime && service.runtime ? cacheVolumeFor(service.runtime) : undefined;
  if (cache && input.cacheVolume) {
    for (const [k, v] of Object.entries(cache.env))
      env[k] = k === 'MAVEN_OPTS' && env[k] ? `${env[k]} ${v}` : v;
  }
  if (input.user && isRuntime) env.HOME = '/tmp';
  if (isRuntime && !service.run) {
    throw new PolyError(
      'SERVICE_NO_RUN',
      `service ${service.name} has no \`run\` command to start in its container`,
      {
        hint: `Add run = "..." to [services.${service.name}] in poly.toml, or give it an image.`,
        exitCode: 2,
      },
    );
  }
  const hostPort = input.port;
  const spec: ContainerSpec = {
    name: containerName(project, service.name),
    image: image.ref,
    ...(input.imageId ? { imageId: input.imageId } : {}),
    ...(service.run
      ? { cmd: ['/bin/sh', '-c', service.run] }
      : service.container?.cmd
        ? { cmd: service.container.cmd }
        : {}),
    env,
    ...(isRuntime ? { workingDir: service.path } : {}),
    labels: { ...projectLabels(project), [LABEL_SERVICE]: service.name },
    binds: isRuntime
      ? [{ source: project.root, target: project.root, readOnly: false }, ...toolchainBinds(mounts)]
      : (service.container?.binds ?? []),
    volumes:
      cache && input.cacheVolume
        ? [{ name: input.cacheVolume, target: cache.mountPath }]
        : (service.container?.volumes ?? []),
    ports: hostPort === undefined ? [] : [{ container: containerPortOf(service, hostPort), host: hostPort }],
    ...(input.network ? { network: { name: input.network.name, aliases: [service.name] } } : {}),
    extraHosts: [`${HOST_ALIAS}:${input.hostGateway}`],
    ...(input.user && isRuntime ? { user: input.user } : {}),
  };
  return withConfigHash(spec);
}
