import type { Host } from '../context.js';
import { PolyError } from '../errors.js';
import type { ServiceSpec } from '../manifest/types.js';
import type { InstalledToolchain } from '../runtimes/installed.js';
import { connectDocker, type DockerClient, engineMessage } from './client.js';
import { assertSafeMounts } from './container-spec.js';
import {
  attachOutput,
  type ContainerExit,
  createContainer,
  followLogs,
  inspectContainer,
  type LogFollower,
  removeContainer,
  startContainer,
  stopContainer,
  waitForExit,
} from './containers.js';
import { forwardToLoopback, type HostForwarder, type RelayPort } from './host-forwarder.js';
import { buildImage, ensureImage, normalizeImageRef, PullSummary } from './images.js';
import { containerName, LABEL_CONFIG_HASH, projectLabels } from './labels.js';
import type { LineHandler } from './log-lines.js';
import { ensureProjectNetwork, hostGatewayFor, type ProjectNetwork } from './networks.js';
import {
  type ContainerProject,
  type ServiceImage,
  serviceContainerSpec,
  serviceImage,
} from './service-container-spec.js';
import { cacheVolumeFor, ensureCacheVolume, ensureServiceVolume } from './volumes.js';

export type { ContainerProject } from './service-container-spec.js';

/** What the supervisor hands a runner for one start (the same shape as for native services, plus toolchains). */
export interface ContainerStartContext {
  /** The service's container environment (renderContainerEnv() in src/core/env/service-env). */
  env: Record<string, string>;
  /** Host port to publish on 127.0.0.1. */
  port?: number;
  /** Unused: the working dir is the service folder (the project is mounted at the same path). */
  cwd?: string;
  onLine?: LineHandler;
  /** One throttled line while the image is pulled or built; each replaces the previous one. */
  onProgress?: (message: string) => void;
  /** poly-installed toolchains to mount read-only (at least the service's runtime). */
  toolchains?: readonly InstalledToolchain[];
}

export interface RunningContainer {
  /** The container id (for `poly ps`). */
  id: string;
  service: string;
  /** True when an existing container with an unchanged config hash was started again. */
  reused: boolean;
  exited: Promise<ContainerExit>;
  /** SIGTERM, SIGKILL after timeoutMs; resolves once the container stopped. The container is kept for reuse. */
  stop(timeoutMs: number): Promise<void>;
  /** The image's own HEALTHCHECK status, if the image has one. */
  imageHealth(): Promise<string | undefined>;
}

export interface ContainerRunnerOptions {
  project: ContainerProject;
  /** Where DOCKER_HOST is read from (when no client is given). */
  env: NodeJS.ProcessEnv;
  /** The machine poly runs on: whether the engine is local decides host.docker.internal. */
  host: Host;
  /** An already connected client (tests, or one shared with the rest of `poly up`). */
  client?: DockerClient;
  /** "uid:gid" runtime services run as. Default: the user running poly (root keeps the image's user). */
  user?: string;
}

function containerStartFailed(service: string, port: number | undefined, cause: unknown): PolyError {
  const message = engineMessage(cause);
  const portBusy = /address already in use|port is already allocated/i.test(message);
  return new PolyError('CONTAINER_START', `the container for service ${service} did not start: ${message}`, {
    hint:
      portBusy && port !== undefined
        ? `Port ${port} on 127.0.0.1 is taken: stop what uses it (\`ss -ltnp 'sport = :${port}'\`) or give the service another port.`
        : 'Run with POLY_DEBUG=1 for details; `docker logs` on the container may say more.',
    cause,
  });
}

/** Files a container writes into the project should belong to the user who ran poly. */
export function hostUser(): string | undefined {
  const uid = process.getuid?.();
  return uid !== undefined && uid !== 0 ? `${uid}:${process.getgid?.() ?? uid}` : undefined;
}

/**
 * Runs services as containers: one instance per `poly up` of one project.
 * start() reuses a container whose config hash is unchanged and recreates
 * one whose config changed; stop() keeps it so the next start is warm.
 */
export class ContainerRunner {
  private clientPromise: Promise<DockerClient> | undefined;
  private networkPromise: Promise<ProjectNetwork> | undefined;
  private gatewayPromise: Promise<string> | undefined;

  constructor(private readonly opts: ContainerRunnerOptions) {}

  client(): Promise<DockerClient> {
    this.clientPromise ??= this.opts.client
      ? Promise.resolve(this.opts.client)
      : connectDocker(this.opts.env);
    return this.clientPromise;
  }

  network(): Promise<ProjectNetwork> {
    this.networkPromise ??= this.client().then((c) => ensureProjectNetwork(c, this.opts.project));
    return this.networkPromise;
  }

  /** What host.docker.internal resolves to in this project's containers. */
  hostGateway(): Promise<string> {
    // A local Linux engine: the project network's gateway is a host address, where
    // forwardNativePorts() listens. Docker Desktop, Podman and remote engines: their host-gateway route.
    this.gatewayPromise ??= (async () =>
      hostGatewayFor(await this.client(), await this.network(), this.opts.host))();
    return this.gatewayPromise;
  }

  /**
   * Lets containers reach native services that listen on 127.0.0.1 only:
   * relays gateway:listen -> 127.0.0.1:target for each pair. An engine that
   * is not local (Docker Desktop, Podman machine) reaches the host's
   * loopback through its host-gateway: the relay listens on 127.0.0.1 there.
   */
  async forwardNativePorts(pairs: readonly RelayPort[]): Promise<HostForwarder | undefined> {
    if (pairs.length === 0) return undefined;
    const gateway = await this.hostGateway();
    return forwardToLoopback(gateway === 'host-gateway' ? '127.0.0.1' : gateway, pairs);
  }

  /** Builds the service's image; its output goes to the service's log, like the service's own. */
  private build(
    client: DockerClient,
    image: Extract<ServiceImage, { kind: 'build' }>,
    ctx: ContainerStartContext,
  ): Promise<string> {
    ctx.onProgress?.(`building image ${image.ref}`);
    return buildImage(client, {
      dockerfile: image.dockerfile,
      tag: image.ref,
      labels: projectLabels(this.opts.project),
      onLine: (line) => ctx.onLine?.(line, 'stdout'),
    });
  }

  /** The local image, pulled when missing; the pull's layer events become one throttled progress line. */
  private async pull(client: DockerClient, ref: string, ctx: ContainerStartContext): Promise<string> {
    const { onProgress } = ctx;
    const summary = new PullSummary(normalizeImageRef(ref));
    const id = await ensureImage(
      client,
      ref,
      onProgress &&
        ((p) => {
          const line = summary.add(p, Date.now());
          if (line) onProgress(line);
        }),
    );
    const last = summary.flush(Date.now());
    if (last) onProgress?.(last);
    return id;
  }

  async start(service: ServiceSpec, ctx: ContainerStartContext): Promise<RunningContainer> {
    const client = await this.client();
    const { project } = this.opts;
    const image = serviceImage(project, service);
    const user = this.opts.user ?? hostUser();
    const imageReady =
      image.kind === 'build' ? this.build(client, image, ctx) : this.pull(client, image.ref, ctx);
    // Independent engine calls run together: a warm start is mostly waiting on the engine.
    // The cache volume waits for the image, which may hand the new volume to the user.
    const [network, hostGateway, imageId, cacheVolume, existing] = await Promise.all([
      this.network(),
      this.hostGateway(),
      imageReady,
      image.kind === 'runtime' && service.runtime
        ? imageReady.then(() =>
            ensureCacheVolume(
              client,
              project,
              cacheVolumeFor(service.runtime!).kind,
              user ? { user, image: image.ref } : undefined,
            ),
          )
        : undefined,
      inspectContainer(client, containerName(project, service.name)),
      ...(service.container?.volumes ?? []).map((v) =>
        ensureServiceVolume(client, project, service.name, v.name),
      ),
    ]);
    const toolchains = ctx.toolchains ?? [];
    const spec = serviceContainerSpec({
      project,
      service,
      env: ctx.env,
      ...(ctx.port !== undefined ? { port: ctx.port } : {}),
      toolchains,
      image,
      imageId,
      network,
      hostGateway,
      ...(user ? { user } : {}),
      ...(cacheVolume ? { cacheVolume } : {}),
    });
    assertSafeMounts(spec, { projectRoot: project.root, toolchainDirs: toolchains.map((t) => t.dir) });

    const reused =
      existing !== undefined && existing.labels[LABEL_CONFIG_HASH] === spec.labels[LABEL_CONFIG_HASH];
    if (existing && !reused) await removeContainer(client, existing.id);
    const id = reused && existing ? existing.id : await createContainer(client, spec);

    const onLine: LineHandler = ctx.onLine ?? (() => {});
    let output: LogFollower;
    if (reused && existing?.running) {
      output = await followLogs(client, id, onLine, { sinceSeconds: Math.floor(Date.now() / 1000) });
    } else {
      output = await attachOutput(client, id, onLine);
      try {
        await startContainer(client, id);
      } catch (cause) {
        output.close();
        throw containerStartFailed(service.name, ctx.port, cause);
      }
    }
    const exited = waitForExit(client, id).then(async (exit) => {
      // Give the output stream a moment to deliver the last lines, then let go of it.
      await Promise.race([output.ended, new Promise((r) => setTimeout(r, 500))]);
      output.close();
      return exit;
    });
    return {
      id,
      service: service.name,
      reused,
      exited,
      stop: async (timeoutMs) => {
        await stopContainer(client, id, timeoutMs);
        await exited;
      },
      imageHealth: async () => (await inspectContainer(client, id))?.health,
    };
  }
}
