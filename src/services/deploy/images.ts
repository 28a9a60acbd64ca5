import type { PolyContext } from '../../core/context.js';
import type { DockerClient } from '../../core/docker/client.js';
import { buildImage, imageExists } from '../../core/docker/images.js';
import { PolyError } from '../../core/errors.js';
import { type ExportedService, exportName } from '../../core/export/plan.js';
import type { Manifest } from '../../core/manifest/types.js';

/** What the deploy says while images are made ready. */
export type DeployImageEvent = { kind: 'image-build'; service: string; image: string };

/**
 * Makes the images of the deployed services present on the engine, before
 * anything is created on the Swarm. `image` services (and databases) are the
 * Swarm's to pull on its nodes; a `build` service's Dockerfile is built as
 * `poly up` builds it; a runtime service's image is the one `poly build` makes.
 */
export async function prepareDeployImages(
  client: DockerClient,
  manifest: Manifest,
  services: readonly ExportedService[],
  ctx: PolyContext,
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
    ctx,
    onEvent,
  );
  // The services with the image each one runs: what the build returned replaces the planned name.
  return services.map((s) => {
    const image = built.get(s.name);
    return image ? { ...s, source: { ...s.source, image } } : s;
  });
}

/**
 * The runtime services' images (exported name -> image reference): an image already on the
 * deploy's engine is used as it is (`poly build --push` to a registry the Swarm pulls from is
 * how a remote Swarm gets them); the others are built by `poly build` (services/build.ts)
 * on the engine DOCKER_HOST names, and must then be on the deploy's engine.
 */
async function runtimeImages(
  client: DockerClient,
  manifest: Manifest,
  services: readonly ExportedService[],
  ctx: PolyContext,
  onEvent: (e: DeployImageEvent) => void,
): Promise<Map<string, string>> {
  const images = new Map<string, string>();
  const missing: ExportedService[] = [];
  for (const s of services) {
    images.set(s.name, s.source.image);
    if (!(await imageExists(client, s.source.image))) missing.push(s);
  }
  if (missing.length === 0) return images;
  const specs = missing.map((s) => {
    const spec = Object.values(manifest.services).find((m) => exportName(m.name) === s.name);
    if (!spec) throw new Error(`no service of ${manifest.file} is exported as ${s.name}`);
    onEvent({ kind: 'image-build', service: s.name, image: s.source.image });
    return spec;
  });
  const { buildImages } = await import('../build/build.js');
  for (const built of await buildImages(manifest, specs, { ctx }))
    images.set(exportName(built.service), built.image);
  for (const s of missing) {
    const image = images.get(s.name) ?? s.source.image;
    if (await imageExists(client, image)) continue;
    throw new PolyError(
      'DEPLOY_NO_IMAGE',
      `${manifest.file}: services.${s.name} runs on the image ${image}, which the Swarm's engine does not have`,
      {
        hint: `poly build made it on the engine DOCKER_HOST names, not the Swarm's: push it where the Swarm pulls from (poly build --push --tag <registry>/{service}:<tag>) and give [services.${s.name}] image = "<that reference>".`,
      },
    );
  }
  return images;
}
