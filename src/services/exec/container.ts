import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Host } from '../../core/context.js';
import { connectDocker, type DockerClient } from '../../core/docker/client.js';
import { toolchainBinds } from '../../core/docker/container-env.js';
import { hostUser } from '../../core/docker/container-service.js';
import { assertSafeMounts, type ContainerSpec } from '../../core/docker/container-spec.js';
import type { ContainerExit } from '../../core/docker/containers.js';
import { ensureImage, type PullProgress } from '../../core/docker/images.js';
import { LABEL_SERVICE, projectLabels, projectSlug } from '../../core/docker/labels.js';
import type { OutputStream } from '../../core/docker/log-lines.js';
import { ensureProjectNetwork, hostGatewayFor } from '../../core/docker/networks.js';
import { type AttachedStdio, runAttached, runToCompletion } from '../../core/docker/one-off.js';
import {
  type ContainerProject,
  DEFAULT_BASE_IMAGE,
  toolchainMounts,
} from '../../core/docker/service-container-spec.js';
import { HOST_ALIAS } from '../../core/docker/service-urls.js';
import { cacheVolumeFor, ensureCacheVolume } from '../../core/docker/volumes.js';
import { PolyError } from '../../core/errors.js';
import type { InstalledToolchain } from '../../core/runtimes/installed.js';

export type ExecContainerEvent =
  | { type: 'pull'; progress: PullProgress }
  | { type: 'output'; line: string; stream: OutputStream }
  | { type: 'started'; image: string };

export interface ExecContainerOptions {
  project: ContainerProject;
  /** argv, run as is (no shell): ["cargo", "build"]. */
  command: string[];
  /** Folder to run in; must lie inside the project (it is mounted at the same path). Default: project root. */
  cwd?: string;
  /** The container environment (renderContainerEnv() in src/core/env/service-env). */
  env: Record<string, string>;
  toolchains: readonly InstalledToolchain[];
  /** Default: `[project] base_image`, else the Debian default. */
  image?: string;
  /** Where DOCKER_HOST is read from (when no client is given). */
  dockerEnv: NodeJS.ProcessEnv;
  /** The machine poly runs on (see hostGatewayFor). */
  host: Host;
  client?: DockerClient;
  onEvent?: (event: ExecContainerEvent) => void;
  /**
   * Wire the container to a terminal or pipes (bytes as they are, stdin
   * included) instead of emitting output lines: what `poly exec` does, so
   * `poly exec --container -- bash` is interactive.
   */
  stdio?: AttachedStdio;
  signal?: AbortSignal;
}

/**
 * `poly exec --container -- <cmd>`: runs one command in a throwaway container
 * with the project folder mounted at its own path, poly's toolchains
 * read-only, the project's environment translated, the dependency caches and
 * the project network (so services answer by name). Returns the exit; the
 * container is removed whatever happens.
 */
export async function execInContainer(opts: ExecContainerOptions): Promise<ContainerExit> {
  const { project } = opts;
  if (opts.command.length === 0) {
    throw new PolyError('EXEC_NO_COMMAND', 'no command given to run in the container', {
      hint: 'poly exec --container -- <command> [args…]',
      exitCode: 2,
    });
  }
  const cwd = resolve(opts.cwd ?? project.root);
  if (!(cwd === project.root || cwd.startsWith(`${project.root}/`))) {
    throw new PolyError('EXEC_OUTSIDE_PROJECT', `${cwd} is outside the project ${project.root}`, {
      hint: 'Run poly exec --container from inside the project folder.',
    });
  }
  const emit = opts.onEvent ?? (() => {});
  const client = opts.client ?? (await connectDocker(opts.dockerEnv));
  const image = opts.image ?? (project.baseImage || DEFAULT_BASE_IMAGE);
  await ensureImage(client, image, (progress) => emit({ type: 'pull', progress }));
  const network = await ensureProjectNetwork(client, project);
  const mounts = toolchainMounts(opts.toolchains);
  const env: Record<string, string> = { ...opts.env };
  const user = hostUser();
  const volumes: ContainerSpec['volumes'] = [];
  for (const t of opts.toolchains) {
    const cache = cacheVolumeFor(t.runtime);
    const owner = user ? { user, image } : undefined;
    volumes.push({
      name: await ensureCacheVolume(client, project, cache.kind, owner),
      target: cache.mountPath,
    });
    Object.assign(env, cache.env);
  }
  if (user) env.HOME = '/tmp';
  const spec: ContainerSpec = {
    name: `${projectSlug(project)}-exec-${randomBytes(3).toString('hex')}`,
    image,
    cmd: opts.command,
    env,
    workingDir: cwd,
    labels: { ...projectLabels(project), [LABEL_SERVICE]: 'exec' },
    binds: [{ source: project.root, target: project.root, readOnly: false }, ...toolchainBinds(mounts)],
    volumes,
    ports: [],
    network: { name: network.name, aliases: [] },
    extraHosts: [`${HOST_ALIAS}:${await hostGatewayFor(client, network, opts.host)}`],
    ...(user ? { user } : {}),
  };
  assertSafeMounts(spec, { projectRoot: project.root, toolchainDirs: opts.toolchains.map((t) => t.dir) });
  emit({ type: 'started', image });
  if (opts.stdio) return runAttached(client, spec, opts.stdio, opts.signal);
  return runToCompletion(client, spec, (line, stream) => emit({ type: 'output', line, stream }), opts.signal);
}

/**
 * poly's own terminal as the container's stdio, for the exec command: a TTY
 * when stdin and stdout are terminals (raw mode on, so keys like Ctrl-C reach
 * the command inside; `restore()` turns it off again).
 */
export function processStdio(): { stdio: AttachedStdio; restore: () => void } {
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (tty) process.stdin.setRawMode(true);
  return {
    stdio: {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      tty,
      ...(tty ? { size: { columns: process.stdout.columns, rows: process.stdout.rows } } : {}),
    },
    restore: () => {
      if (tty) process.stdin.setRawMode(false);
      process.stdin.pause();
    },
  };
}
