import { randomBytes } from 'node:crypto';
import type { RuntimeName } from '../manifest/types.js';
import type { DockerClient } from './client.js';
import { statusCodeOf } from './client.js';
import {
  LABEL_CACHE,
  LABEL_SERVICE,
  type ProjectRef,
  projectFilters,
  projectLabels,
  projectSlug,
} from './labels.js';
import { runToCompletion } from './one-off.js';

/** A dependency cache kept in a named volume, so a rebuild in a new container stays fast. */
export interface CacheVolume {
  kind: 'npm' | 'pip' | 'cargo' | 'go' | 'maven';
  /** Where it is mounted inside the container. */
  mountPath: string;
  /** What points the toolchain at it. */
  env: Record<string, string>;
}

const CACHE_ROOT = '/poly-cache';

/** Which cache a runtime's package manager fills, and the variables that point it there. Pure. */
export function cacheVolumeFor(runtime: RuntimeName): CacheVolume {
  switch (runtime) {
    case 'node':
      return { kind: 'npm', mountPath: `${CACHE_ROOT}/npm`, env: { npm_config_cache: `${CACHE_ROOT}/npm` } };
    case 'python':
      return { kind: 'pip', mountPath: `${CACHE_ROOT}/pip`, env: { PIP_CACHE_DIR: `${CACHE_ROOT}/pip` } };
    case 'rust':
      // The registry index and crate sources live under CARGO_HOME; cargo itself comes from the mounted toolchain.
      return { kind: 'cargo', mountPath: `${CACHE_ROOT}/cargo`, env: { CARGO_HOME: `${CACHE_ROOT}/cargo` } };
    case 'go':
      return {
        kind: 'go',
        mountPath: `${CACHE_ROOT}/go`,
        env: { GOMODCACHE: `${CACHE_ROOT}/go/mod`, GOCACHE: `${CACHE_ROOT}/go/build` },
      };
    case 'java':
      return {
        kind: 'maven',
        mountPath: `${CACHE_ROOT}/maven`,
        env: { MAVEN_OPTS: `-Dmaven.repo.local=${CACHE_ROOT}/maven/repository` },
      };
  }
}

export function cacheVolumeName(project: ProjectRef, kind: CacheVolume['kind']): string {
  return `${projectSlug(project)}-cache-${kind}`;
}

/** Who must be able to write a new cache volume: containers that run as the user, not root. */
export interface CacheVolumeOwner {
  /** "uid:gid". */
  user: string;
  /** An image with /bin/chown, used once, as root, to hand the new volume to the user. */
  image: string;
}

/**
 * Creates the project's cache volume when missing. A new volume belongs to
 * root; when containers run as the user, it is handed over once with a
 * throwaway chown container, so npm/pip/cargo can write their caches.
 */
export async function ensureCacheVolume(
  client: DockerClient,
  project: ProjectRef,
  kind: CacheVolume['kind'],
  owner?: CacheVolumeOwner,
): Promise<string> {
  const name = cacheVolumeName(project, kind);
  const exists = await client.api
    .getVolume(name)
    .inspect()
    .then(
      () => true,
      (err) => {
        if (statusCodeOf(err) === 404) return false;
        throw err;
      },
    );
  if (exists) return name;
  await client.api.createVolume({ Name: name, Labels: { ...projectLabels(project), [LABEL_CACHE]: kind } });
  if (owner) {
    const exit = await runToCompletion(
      client,
      {
        name: `${projectSlug(project)}-chown-${kind}-${randomBytes(3).toString('hex')}`,
        image: owner.image,
        cmd: ['chown', owner.user, '/cache'],
        env: {},
        labels: projectLabels(project),
        binds: [],
        volumes: [{ name, target: '/cache' }],
        ports: [],
        extraHosts: [],
      },
      () => {},
    );
    if (exit.code !== 0)
      throw new Error(`could not hand cache volume ${name} to ${owner.user} (chown exited ${exit.code})`);
  }
  return name;
}

/**
 * Creates a service's data volume (a `use` database's) when missing, with the
 * project's labels: `poly down` keeps it, `poly down --volumes` finds and removes it.
 * (The engine would create a missing one itself, but unlabelled.)
 */
export async function ensureServiceVolume(
  client: DockerClient,
  project: ProjectRef,
  service: string,
  name: string,
): Promise<void> {
  try {
    await client.api.getVolume(name).inspect();
  } catch (err) {
    if (statusCodeOf(err) !== 404) throw err;
    await client.api.createVolume({
      Name: name,
      Labels: { ...projectLabels(project), [LABEL_SERVICE]: service },
    });
  }
}

export async function volumeExists(client: DockerClient, name: string): Promise<boolean> {
  try {
    await client.api.getVolume(name).inspect();
    return true;
  } catch (err) {
    if (statusCodeOf(err) === 404) return false;
    throw err;
  }
}

export async function listProjectVolumes(client: DockerClient, project: ProjectRef): Promise<string[]> {
  const res = await client.api.listVolumes({ filters: projectFilters(project) });
  return (res.Volumes ?? []).map((v) => v.Name);
}

export async function removeVolume(client: DockerClient, name: string): Promise<void> {
  try {
    await client.api.getVolume(name).remove();
  } catch (err) {
    if (statusCodeOf(err) !== 404) throw err;
  }
}
