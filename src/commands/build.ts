import { Args, Flags } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import type { BuiltImage } from '../services/build/build.js';

export default class Build extends PolyCommand {
  static override summary = 'Build an OCI image per service with the poly.lock toolchains.';
  static override description =
    'Through the Docker Engine API (no docker CLI): a build stage with the locked toolchain runs the service\'s `build` task (or the runtime\'s default), a small run stage carries only what the service runs with, as a non-root user with a HEALTHCHECK from `health`. A service with build = "<Dockerfile>" is built from its own Dockerfile. Images are tagged <project>-<service>:latest only when every build passed.';
  static override examples = [
    '<%= config.bin %> build',
    '<%= config.bin %> build api --tag 1.4.0',
    '<%= config.bin %> build --tag registry.example:5000/shop/{service}:1.4.0 --push',
  ];
  static override strict = false;
  static override enableJsonFlag = true;
  static override args = {
    service: Args.string({ description: 'Services to build (default: every runtime and build service).' }),
  };
  static override flags = {
    tag: Flags.string({
      char: 't',
      summary: 'A tag (1.4.0) for <project>-<service>, or a whole reference with {service} in it.',
    }),
    push: Flags.boolean({
      summary: 'Push each image to the registry its tag names after all builds passed.',
    }),
    base: Flags.string({
      summary: 'Base image of both stages (default: [project] base_image, else debian:bookworm-slim).',
    }),
  };

  async run(): Promise<{ images: BuiltImage[] }> {
    const { argv, flags } = await this.parse(Build);
    const { build } = await import('../services/build/build.js');
    const quiet = this.jsonEnabled();
    const images = await build({
      cwd: this.workdir(flags),
      services: argv as string[],
      ...(flags.tag ? { tag: flags.tag } : {}),
      ...(flags.base ? { baseImage: flags.base } : {}),
      push: flags.push,
      ctx: this.context(),
      onLine: quiet ? undefined : (service, line) => process.stderr.write(`${service} | ${line}\n`),
    } as Parameters<typeof build>[0]);
    if (!quiet)
      for (const i of images)
        process.stdout.write(`${i.service}: ${i.image} ${i.digest.slice(0, 19)} (${i.seconds}s)\n`);
    return { images };
  }
}
