import { randomBytes } from 'node:crypto';
import { getRuntime } from '../../../runtimes/index.js';
import { platformKey } from '../../../runtimes/types.js';
import { IMPORT_CA_JAVA, renderDockerfile } from '../../core/build/dockerfile.js';
import { healthcheckInstruction } from '../../core/build/healthcheck.js';
import { type Recipe, recipeFor } from '../../core/build/recipe.js';
import { readServiceFiles } from '../../core/build/service-files.js';
import type { Host } from '../../core/context.js';
import { connectDocker, type DockerClient, engineVersion } from '../../core/docker/client.js';
import { containerToolchainDir } from '../../core/docker/container-env.js';
import { buildGenerated } from '../../core/docker/generated-build.js';
import { buildImage, pushImage, removeImageTag, tagImage } from '../../core/docker/images.js';
import { ensureToolchainImage } from '../../core/docker/toolchain-image.js';
import { hostPlatform } from '../../core/env/platform.js';
import { PolyError } from '../../core/errors.js';
import type { HealthCheck, Manifest, RuntimeName, ServiceSpec } from '../../core/manifest/types.js';
import type { Lockfile } from '../../core/store/lockfile.js';
import { ensureInstalled } from '../install/install.js';
import type { BuildOptions, BuiltImage } from './build.js';
import { caBundle, registryArgNames, registryBuildArgs } from './inputs.js';

export interface ImageJob {
  spec: ServiceSpec;
  image: string;
  labels: Record<string, string>;
  port?: number;
  health?: HealthCheck;
  /** The user's own Dockerfile (`build = "…"`), which wins over poly's recipe. */
  dockerfile?: string;
}

interface BuildContext extends BuildOptions {
  env: NodeJS.ProcessEnv;
  lock: Lockfile | undefined;
}

/** The recipe of a runtime service, read before anything is installed or built (bad input fails first). */
function jobRecipe(manifest: Manifest, job: ImageJob): Recipe | undefined {
  if (job.dockerfile || !job.spec.runtime) return undefined;
  const runtime = job.spec.runtime;
  const task = manifest.tasks?.[`${job.spec.name}:build`];
  return recipeFor({
    service: job.spec.name,
    runtime,
    files: readServiceFiles(job.spec.path),
    ...(task && task.run.length > 0 ? { buildTask: task.run } : {}),
    toolchainDir: '/opt/poly/pending',
    manifestFile: manifest.file,
  });
}

/**
 * The manifest as the image builds need it installed: its runtimes only. An image never
 * carries a natively installed database, and its `use` services run as their official
 * images (export), so building needs no PostgreSQL on this machine.
 */
function withoutDatabases(manifest: Manifest): Manifest {
  const services = Object.fromEntries(Object.entries(manifest.services).filter(([, s]) => !s.database));
  return { ...manifest, services };
}

/** Images are built for the engine's platform from the host's installed toolchains: they must be the same. */
async function refuseForeignEngine(client: DockerClient, machine: Host): Promise<void> {
  const engine = await engineVersion(client);
  const host = hostPlatform(machine);
  const arch = engine.arch === 'amd64' ? 'x64' : engine.arch;
  if (engine.os !== host.os || arch !== host.arch)
    throw new PolyError(
      'BUILD_PLATFORM',
      `the Docker engine runs ${engine.os}/${engine.arch}, this machine ${host.os}/${host.arch}`,
      {
        hint: "poly build puts this machine's installed toolchains into the image: build on a machine of the engine's platform.",
      },
    );
}

/**
 * Builds every job under a temporary tag, then gives each its real tag only
 * when all passed (a failure leaves no image tagged and removes what it
 * built), then pushes when asked.
 */
export async function buildAll(
  manifest: Manifest,
  jobs: readonly ImageJob[],
  build: BuildContext,
): Promise<BuiltImage[]> {
  const recipes = jobs.map((job) => jobRecipe(manifest, job));
  const toolchains = recipes.some(Boolean)
    ? await ensureInstalled(withoutDatabases(manifest), {
        ctx: build.ctx,
      })
    : {};
  const client = await connectDocker(build.env);
  if (recipes.some(Boolean)) await refuseForeignEngine(client, build.ctx.host);
  const scratch = `poly-build-tmp/${randomBytes(4).toString('hex')}`;
  const built: { job: ImageJob; temp: string; seconds: number }[] = [];
  try {
    for (const [i, job] of jobs.entries()) {
      const temp = `${scratch}-${i}:pending`;
      const started = performance.now();
      const onLine = (line: string) => build.onLine?.(job.spec.name, line);
      if (job.dockerfile)
        await buildImage(client, { dockerfile: job.dockerfile, tag: temp, labels: job.labels, onLine });
      else await buildRuntimeImage(client, manifest, job, toolchains, build, temp, onLine);
      built.push({ job, temp, seconds: (performance.now() - started) / 1000 });
    }
    for (const b of built) await tagImage(client, b.temp, b.job.image);
  } finally {
    for (const b of built) await removeImageTag(client, b.temp);
  }
  const results: BuiltImage[] = [];
  for (const b of built) {
    const id = (await client.api.getImage(b.job.image).inspect()).Id;
    const pushed = build.push
      ? await pushImage(client, b.job.image, (line) => build.onLine?.(b.job.spec.name, line))
      : undefined;
    results.push({
      service: b.job.spec.name,
      image: b.job.image,
      digest: pushed ?? id,
      seconds: Number(b.seconds.toFixed(1)),
    });
  }
  return results;
}

async function buildRuntimeImage(
  client: DockerClient,
  manifest: Manifest,
  job: ImageJob,
  toolchains: Partial<Record<RuntimeName, { version: string; dir: string }>>,
  build: BuildContext,
  tag: string,
  onLine: (line: string) => void,
): Promise<void> {
  const runtime = job.spec.runtime as RuntimeName;
  const installed = toolchains[runtime];
  if (!installed)
    throw new PolyError(
      'BUILD_NO_TOOLCHAIN',
      `${manifest.file}: services.${job.spec.name} runs ${runtime}, which [runtimes] does not pin`,
      {
        hint: `Pin it: poly use ${runtime}@<version>.`,
      },
    );
  const platform = hostPlatform(build.ctx.host);
  const def = getRuntime(runtime);
  const imageDir = containerToolchainDir(runtime, installed.version);
  const checksum = build.lock?.runtimes[runtime]?.platforms[platformKey(platform)]?.checksum;
  const toolchainImage = await ensureToolchainImage(
    client,
    {
      runtime,
      version: installed.version,
      hostDir: installed.dir,
      imageDir,
      ...(checksum ? { checksum } : {}),
    },
    onLine,
  );
  const task = manifest.tasks?.[`${job.spec.name}:build`];
  const recipe = recipeFor({
    service: job.spec.name,
    runtime,
    files: readServiceFiles(job.spec.path),
    ...(task && task.run.length > 0 ? { buildTask: task.run } : {}),
    toolchainDir: imageDir,
    manifestFile: manifest.file,
  });
  const hostBins = def.binDirs(platform).map((b) => `${installed.dir}/${b}`);
  const buildArgs = await registryBuildArgs(runtime, {
    ...build.env,
    PATH: [...hostBins, build.env.PATH ?? ''].join(':'),
  });
  const ca = caBundle(build.env);
  const healthcheck = healthcheckInstruction(job.health, job.port, job.spec.healthTiming);
  const dockerfile = renderDockerfile({
    recipe,
    baseImage: build.baseImage ?? manifest.project.baseImage ?? DEFAULT_BUILD_BASE,
    toolchain: {
      image: toolchainImage,
      dir: imageDir,
      binDirs: def.binDirs(platform).map((b) => `${imageDir}/${b}`),
      env: def.env(imageDir, platform),
    },
    registryArgs: registryArgNames(buildArgs),
    ...(ca ? { caBundle: true } : {}),
    ...(job.port !== undefined ? { port: job.port } : {}),
    ...(healthcheck ? { healthcheck } : {}),
    ...(job.spec.run ? { run: job.spec.run } : {}),
  });
  await buildGenerated(client, {
    context: job.spec.path,
    dockerfile,
    tag,
    labels: job.labels,
    buildArgs,
    userIgnore: true,
    ...(ca ? { extraFiles: { 'ca.crt': ca }, extraText: { 'ImportCa.java': IMPORT_CA_JAVA } } : {}),
    onLine,
  });
}

/** Debian slim: glibc and libstdc++ for the toolchains, apt-get for the build stage's packages. */
export const DEFAULT_BUILD_BASE = 'debian:bookworm-slim';
