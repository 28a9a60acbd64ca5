import { join, resolve } from 'node:path';
import type { PolyContext } from '../../core/context.js';
import { hostPlatform } from '../../core/env/platform.js';
import { PolyError } from '../../core/errors.js';
import { AUTO_CONTAINER_PORT, builtImageName, exportName } from '../../core/export/plan.js';
import { requireManifest } from '../../core/manifest/load.js';
import type { HealthCheck, Manifest, ServiceSpec } from '../../core/manifest/types.js';
import { unknownService } from '../../core/manifest/unknown-service.js';
import { LOCK_FILE } from '../../core/store/layout.js';
import { readLockfile } from '../../core/store/lockfile.js';
import { buildAll, type ImageJob } from './image.js';
import { gitRevision, lockDigest } from './inputs.js';

export interface BuildOptions {
  /** Tag: a plain word is the tag of `<project>-<service>:<word>`; with `/` or `:` a whole reference, `{service}` replaced. */
  tag?: string;
  push?: boolean;
  /** Base image of both stages; default [project] base_image, else debian:bookworm-slim. */
  baseImage?: string;
  /** The caller's environment (DOCKER_HOST, registries, the toolchain store) and machine. */
  ctx: PolyContext;
  onLine?: (service: string, line: string) => void;
}

export interface BuiltImage {
  service: string;
  /** The reference it is tagged with. */
  image: string;
  /** The image id (sha256:… of its config); after --push, the registry's repo@sha256 digest. */
  digest: string;
  /** Seconds the build took. */
  seconds: number;
}

/** The services `poly build` makes an image of: named ones (checked), else every runtime and build service. */
export function servicesToBuild(manifest: Manifest, names: readonly string[]): ServiceSpec[] {
  const all = Object.values(manifest.services);
  if (names.length === 0) return all.filter((s) => !s.image && !s.database && (s.runtime || s.build));
  return names.map((name) => {
    const spec = manifest.services[name];
    if (!spec) {
      throw unknownService(manifest.file, name, Object.keys(manifest.services));
    }
    if (spec.image || spec.database || (!spec.runtime && !spec.build))
      throw new PolyError(
        'BUILD_NOTHING',
        `${manifest.file}: services.${name} ${spec.image ? `runs the image ${spec.image}` : spec.database ? 'is a database' : 'has no runtime or build'}, so there is no image to build`,
        { hint: `Give [services.${name}] runtime = "<node|python|go|java|rust>" or build = "<Dockerfile>".` },
      );
    return spec;
  });
}

/** The reference a service's image gets. Pure. */
export function imageReference(
  manifest: Manifest,
  service: string,
  tag: string | undefined,
  count: number,
): string {
  if (tag === undefined) return builtImageName(manifest.project.name, service);
  if (!/[/:{]/.test(tag))
    return builtImageName(manifest.project.name, service).replace(/:latest$/, `:${tag}`);
  if (count > 1 && !tag.includes('{service}'))
    throw new PolyError('BUILD_TAG', `--tag ${tag} would name ${count} images the same`, {
      hint: 'Put {service} in it (registry.example/team/{service}:1.0), or build one service.',
    });
  return tag
    .replaceAll('{service}', exportName(service))
    .replaceAll('{project}', exportName(manifest.project.name));
}

/** The check the image runs: the service's `health`, else a TCP check of its port (as export does). */
function imageHealth(spec: ServiceSpec, port: number | undefined): HealthCheck | undefined {
  return spec.health ?? (port !== undefined ? { kind: 'tcp', port } : undefined);
}

/**
 * Builds one image per service through the Engine API and tags them all
 * only once every build passed; pushes after that when asked. The seam for
 * `poly deploy swarm`: it calls this with the plan's services.
 */
export async function buildImages(
  manifest: Manifest,
  services: readonly ServiceSpec[],
  options: BuildOptions,
): Promise<BuiltImage[]> {
  const env = options.ctx.env;
  const platform = hostPlatform(options.ctx.host);
  if (platform.os !== 'linux' && services.some((s) => !s.build))
    throw new PolyError(
      'BUILD_PLATFORM',
      `poly build puts poly's installed toolchains into Linux images; this machine runs ${platform.os}`,
      {
        hint: 'Run poly build on a Linux machine (CI), or give the service build = "<Dockerfile>".',
      },
    );
  const lock = readLockfile(join(manifest.root, LOCK_FILE));
  const labels: Record<string, string> = { 'dev.poly.project': exportName(manifest.project.name) };
  const digest = lockDigest(manifest.root);
  if (digest) labels['dev.poly.lock'] = digest;
  const revision = await gitRevision(manifest.root);
  if (revision) labels['org.opencontainers.image.revision'] = revision;
  const jobs: ImageJob[] = services.map((spec) => {
    const port = spec.port === 'auto' ? AUTO_CONTAINER_PORT : spec.port;
    const health = imageHealth(spec, port);
    return {
      spec,
      image: imageReference(manifest, spec.name, options.tag, services.length),
      labels: { ...labels, 'dev.poly.service': exportName(spec.name) },
      ...(port !== undefined ? { port } : {}),
      ...(health ? { health } : {}),
      ...(spec.build ? { dockerfile: resolve(manifest.root, spec.build) } : {}),
    };
  });
  return buildAll(manifest, jobs, { ...options, env, lock });
}

export interface BuildCommandOptions extends BuildOptions {
  cwd: string;
  services?: string[];
}

/** `poly build [service…]`. */
export async function build(opts: BuildCommandOptions): Promise<BuiltImage[]> {
  const manifest = requireManifest(opts.cwd);
  return buildImages(manifest, servicesToBuild(manifest, opts.services ?? []), opts);
}
