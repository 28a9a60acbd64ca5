import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { DockerClient } from '../../src/core/docker/client.js';
import { BUILD_TIMEOUT_MS, DEBIAN_TEST_IMAGE, debianTestImage, withBuildLock } from './docker-images.js';

/**
 * Stand-ins for the official database images (postgres:16, mariadb:11,
 * redis:7, valkey/valkey:8), built on this machine because no image registry
 * is reachable. Each is the Debian test image plus the database's real
 * binaries and an entrypoint that keeps the official image's contract: its
 * variables, its data folder, its init folder, its CMD. A test that passes
 * against a stand-in therefore checks that poly drives the official image
 * correctly; what each stand-in does differently is said where it is defined.
 */
export interface StandInRecipe {
  /** The tag tests pass in POLY_<NAME>_IMAGE, e.g. "poly-test/mariadb:11". */
  tag: string;
  /** The Dockerfile's lines after `FROM <debian test image>`. */
  dockerfile: string;
  /** The other files of the build context (entrypoint, binaries). */
  files: Record<string, string | Buffer | (() => Promise<Buffer>)>;
}

const RECIPE_LABEL = 'dev.poly.test.recipe';

/** The recipe's digest: a changed stand-in is rebuilt under the same tag, an unchanged one is reused. */
function recipeDigest(recipe: StandInRecipe): string {
  const hash = createHash('sha256').update(recipe.dockerfile);
  for (const [name, content] of Object.entries(recipe.files).sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`\0${name}\0`);
    if (typeof content !== 'function') hash.update(content);
  }
  return hash.digest('hex').slice(0, 16);
}

async function builtDigest(tag: string): Promise<string | undefined> {
  const inspect = await execa(
    'docker',
    ['image', 'inspect', '-f', `{{index .Config.Labels "${RECIPE_LABEL}"}}`, tag],
    {
      reject: false,
    },
  );
  return inspect.exitCode === 0 ? inspect.stdout.trim() : undefined;
}

/** Builds the stand-in once per engine and recipe (a lock keeps parallel test files from building twice). */
export async function standInImage(client: DockerClient, recipe: StandInRecipe): Promise<string> {
  const digest = recipeDigest(recipe);
  if ((await builtDigest(recipe.tag)) === digest) return recipe.tag;
  await debianTestImage(client);
  return withBuildLock(recipe.tag, async () => {
    if ((await builtDigest(recipe.tag)) === digest) return recipe.tag;
    const context = mkdtempSync(join(tmpdir(), 'poly-stand-in-'));
    try {
      for (const [name, content] of Object.entries(recipe.files)) {
        writeFileSync(join(context, name), typeof content === 'function' ? await content() : content);
      }
      writeFileSync(
        join(context, 'Dockerfile'),
        `FROM ${DEBIAN_TEST_IMAGE}\nLABEL ${RECIPE_LABEL}=${digest}\n${recipe.dockerfile}`,
      );
      await execa('docker', ['build', '-q', '-t', recipe.tag, context], {
        env: { DOCKER_BUILDKIT: '0' },
        timeout: BUILD_TIMEOUT_MS,
      });
      return recipe.tag;
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  });
}

/** A Dockerfile step that installs Debian packages (the real binaries) and leaves no apt lists behind. */
export function aptInstall(packages: readonly string[]): string {
  return `RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages.join(' ')} && rm -rf /var/lib/apt/lists/*\n`;
}
