import type { DockerClient } from '../core/docker/client.js';
import { buildImage, imageExists } from '../core/docker/images.js';
import { PolyError } from '../core/errors.js';
import type { ExportedService } from '../core/export/plan.js';
import type { Manifest } from '../core/manifest/types.js';

/** What the deploy says while images are made ready. */
export type DeployImageEvent = { kind: 'image-build'; service: string; image: string };

/**
 * Makes the images of the deployed services present on the engine, before
 * anything is created on the Swarm. `image` services (and databases) are the
 * Swarm's to pull on its nodes; a `build` service's Dockerfile is built as
 * `poly up` builds it; a runtime service needs the image `poly build` makes.
 */
export async function prepareDeployImages(
  client: DockerClient,
  manifest: Manifest,
  services: readonly ExportedService[],
  onEvent: (e: DeployImageEvent) => void = () => {},
): Promise<ExportedService[]> {
  for (const s of services) {
    if (s.source.kind === 'build') {
      onEvent({ kind: 'image-build', service: s.name, image: s.source.image });
      await buildImage(client, { dockerfile: s.source.dockerfile, tag: s.source.image });
    }
  }
  const built = await runtimeImages(
    client,
    manifest,
    services.filter((s) => s.source.kind === 'runtime'),
  );
  // The services with the image each one runs: what the build returned replaces the planned name.
  return services.map((s) => {
    const image = built.get(s.name);
    return image ? { ...s, source: { ...s.source, image } } : s;
  });
}

/**
 * THE seam with `poly build`: the runtime services' images. Until the build
 * service lands this only checks that each image (`<project>-<service>:latest`)
 * is on the engine; joined, it calls buildImages(project, services, options)
 * here and returns each service's image (exported name -> image reference),
 * which the deploy then runs.
 */
async function runtimeImages(
  client: DockerClient,
  manifest: Manifest,
  services: readonly ExportedService[],
): Promise<Map<string, string>> {
  const images = new Map<string, string>();
  for (const s of services) {
    images.set(s.name, s.source.image);
    if (await imageExists(client, s.source.image)) continue;
    throw new PolyError(
      'DEPLOY_NO_IMAGE',
      `${manifest.file}: services.${s.name} runs on the image ${s.source.image}, which the engine does not have`,
      {
        hint: `Build and tag it (docker build -t ${s.source.image} <folder>), or give [services.${s.name}] image = "..." or build = "<Dockerfile>".`,
      },
    );
  }
  return images;
}
