import type { DockerClient } from './client.js';
import { buildGenerated } from './generated-build.js';
import { imageExists } from './images.js';

export interface LockedToolchain {
  runtime: string;
  version: string;
  /** The verified install in poly's store. */
  hostDir: string;
  /** Where it sits in the image (and in every build stage that copies it). */
  imageDir: string;
  /** poly.lock's checksum of the archive it was installed from, when locked. */
  checksum?: string;
}

/** "poly-toolchain/java:17.0.15_6-1a2b3c4d5e6f": one image per locked archive. Pure. */
export function toolchainImageTag(t: LockedToolchain): string {
  const version = t.version.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100);
  const sum = (t.checksum ?? 'unlocked').replace(/^sha\d+:/, '').slice(0, 12);
  return `poly-toolchain/${t.runtime}:${version}-${sum}`;
}

/**
 * The image a build stage copies the locked toolchain from (the "context
 * stage"): FROM scratch with the store's verified install at imageDir. Made
 * once per archive and reused by every service and build, so a service's own
 * context stays its source; containers never download the toolchain.
 */
export async function ensureToolchainImage(
  client: DockerClient,
  t: LockedToolchain,
  onLine?: (line: string) => void,
): Promise<string> {
  const tag = toolchainImageTag(t);
  if (await imageExists(client, tag)) return tag;
  await buildGenerated(client, {
    context: t.hostDir,
    dockerfile: `FROM scratch\nCOPY . ${t.imageDir}\n`,
    tag,
    labels: {
      'dev.poly.toolchain': `${t.runtime}@${t.version}`,
      ...(t.checksum ? { 'dev.poly.toolchain.checksum': t.checksum } : {}),
    },
    buildArgs: {},
    userIgnore: false,
    ...(onLine ? { onLine } : {}),
  });
  return tag;
}
