import { Flags } from '@oclif/core';
import { PolyCommand } from '../../cli/base-command.js';
import type { EndpointMode, PublishMode } from '../../core/export/swarm.js';
import { type ExportComposeResult, exportCompose } from '../../services/export/compose.js';

export default class ExportCompose extends PolyCommand {
  static override summary = 'Write the project as a compose file (docker compose up).';
  static override description =
    'Every service of poly.toml on one project network: image services keep their image, build services their Dockerfile, runtime services use the image `poly build` names <project>-<service>:latest. Peer variables (<NAME>_URL, _HOST, _PORT) point at <service>:<port> on the network; depends_on waits for healthy; ports bind 127.0.0.1 unless --publish-all.';
  static override examples = [
    '<%= config.bin %> export compose',
    '<%= config.bin %> export compose -o deploy/compose.yaml --publish-all',
    '<%= config.bin %> export compose -o - | docker compose -f - config',
    '<%= config.bin %> export compose --for swarm -o stack.yaml && docker stack deploy -c stack.yaml shop',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    output: Flags.string({
      char: 'o',
      summary: 'File to write, or - for stdout. Default: compose.yaml beside poly.toml.',
    }),
    'publish-all': Flags.boolean({ summary: 'Publish ports on every interface, not only 127.0.0.1.' }),
    for: Flags.string({
      summary: 'compose (docker compose up) or swarm (docker stack deploy: version 3.8, images only).',
      options: ['compose', 'swarm'],
      default: 'compose',
    }),
    'endpoint-mode': Flags.string({
      summary: 'With --for swarm: vip (Swarm default) or dnsrr.',
      options: ['vip', 'dnsrr'],
      default: 'vip',
    }),
    'publish-mode': Flags.string({
      summary: 'With --for swarm: ingress (routing mesh, Swarm default) or host (the node running the task).',
      options: ['ingress', 'host'],
      default: 'ingress',
    }),
  };

  async run(): Promise<Omit<ExportComposeResult, 'text'>> {
    const { flags } = await this.parse(ExportCompose);
    const result = await exportCompose({
      cwd: this.workdir(flags),
      ...(flags.output !== undefined ? { output: flags.output } : {}),
      publishAll: flags['publish-all'],
      for: flags.for as 'compose' | 'swarm',
      swarm: {
        endpointMode: flags['endpoint-mode'] as EndpointMode,
        publishMode: flags['publish-mode'] as PublishMode,
      },
      env: this.context().env,
    });
    if (!result.file) process.stdout.write(result.text);
    else if (!this.jsonEnabled())
      process.stderr.write(`poly: wrote ${result.file} (${result.services.length} services)\n`);
    return { ...(result.file ? { file: result.file } : {}), services: result.services };
  }
}
