import { createHash } from 'node:crypto';
import { resolve, sep } from 'node:path';
import type { ContainerCreateOptions } from 'dockerode';
import { PolyError } from '../errors.js';
import { LABEL_CONFIG_HASH } from './labels.js';

export interface BindMount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** Everything poly decides about one container, in its own terms. toCreateOptions() maps it to the Engine API. */
export interface ContainerSpec {
  name: string;
  /** Image reference as the user named it. */
  image: string;
  /** The image's id when known: part of the config hash, so a rebuilt or re-pulled image means a new container. */
  imageId?: string;
  /** Undefined: the image's own CMD. */
  cmd?: string[];
  /** Undefined: the image's own ENTRYPOINT (a one-off tool container replaces it). */
  entrypoint?: string[];
  env: Record<string, string>;
  workingDir?: string;
  labels: Record<string, string>;
  binds: BindMount[];
  volumes: { name: string; target: string }[];
  /** Container port -> host port, published on 127.0.0.1 only. */
  ports: { container: number; host: number }[];
  network?: { name: string; aliases: string[] };
  extraHosts: string[];
  /** "uid:gid" so files written into the project belong to the user. */
  user?: string;
  autoRemove?: boolean;
  /** Attach stdin and keep it open (poly exec --container). */
  openStdin?: boolean;
  tty?: boolean;
}

/** What bind mounts may expose: the project (read-write) and poly's toolchains (read-only), nothing else. */
export interface MountPolicy {
  projectRoot: string;
  toolchainDirs: readonly string[];
}

const DOCKER_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];

function isUnder(path: string, dir: string): boolean {
  const d = resolve(dir);
  const p = resolve(path);
  return p === d || p.startsWith(d.endsWith(sep) ? d : d + sep);
}

/**
 * Refuses a container that would break poly's promises: no bind mount outside
 * the project and the toolchains, toolchains read-only, never a Docker socket.
 */
export function assertSafeMounts(spec: ContainerSpec, policy: MountPolicy): void {
  for (const b of spec.binds) {
    const refuse = (why: string) =>
      new PolyError('DOCKER_UNSAFE_MOUNT', `refusing to mount ${b.source} into ${spec.name}: ${why}`, {
        hint: 'Container services may only see the project folder and poly-installed toolchains.',
      });
    if (DOCKER_SOCKETS.some((s) => isUnder(b.source, s)) || /docker\.sock$|podman\.sock$/.test(b.source)) {
      throw refuse('the Docker socket is never mounted into a container');
    }
    if (isUnder(b.source, policy.projectRoot)) continue;
    if (policy.toolchainDirs.some((d) => isUnder(b.source, d))) {
      if (!b.readOnly) throw refuse('toolchains are mounted read-only');
      continue;
    }
    throw refuse('it is outside the project folder and poly’s toolchains');
  }
}

/** The Engine API create body. Never privileged, no added capabilities, ports on loopback only. */
export function toCreateOptions(spec: ContainerSpec): ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of spec.ports) {
    exposed[`${p.container}/tcp`] = {};
    bindings[`${p.container}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: String(p.host) }];
  }
  const options: ContainerCreateOptions = {
    name: spec.name,
    Image: spec.image,
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: spec.labels,
    ExposedPorts: exposed,
    HostConfig: {
      Binds: spec.binds.map((b) => `${b.source}:${b.target}:${b.readOnly ? 'ro' : 'rw'}`),
      Mounts: spec.volumes.map((v) => ({ Type: 'volume', Source: v.name, Target: v.target })),
      PortBindings: bindings,
      ExtraHosts: spec.extraHosts,
      Privileged: false,
      // tini as PID 1: signals reach the service and zombies are reaped.
      Init: true,
      AutoRemove: spec.autoRemove ?? false,
      ...(spec.network ? { NetworkMode: spec.network.name } : {}),
    },
    AttachStdout: true,
    AttachStderr: true,
  };
  if (spec.cmd) options.Cmd = spec.cmd;
  if (spec.entrypoint) options.Entrypoint = spec.entrypoint;
  if (spec.workingDir) options.WorkingDir = spec.workingDir;
  if (spec.user) options.User = spec.user;
  if (spec.openStdin) Object.assign(options, { OpenStdin: true, StdinOnce: true, AttachStdin: true });
  if (spec.tty) options.Tty = true;
  if (spec.network) {
    options.NetworkingConfig = {
      EndpointsConfig: { [spec.network.name]: { Aliases: spec.network.aliases } },
    };
  }
  return options;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A hash of everything that shapes the container; equal hashes mean the existing container can be reused. */
export function configHash(spec: ContainerSpec): string {
  const { [LABEL_CONFIG_HASH]: _ignored, ...labels } = spec.labels;
  return createHash('sha256')
    .update(stableJson({ ...spec, labels }))
    .digest('hex')
    .slice(0, 16);
}

/** The spec with its config hash label set. */
export function withConfigHash(spec: ContainerSpec): ContainerSpec {
  return { ...spec, labels: { ...spec.labels, [LABEL_CONFIG_HASH]: configHash(spec) } };
}
