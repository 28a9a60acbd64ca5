import { Flags } from '@oclif/core';
import { PolyCommand } from '../../cli/base-command.js';
import { type ExportComposeResult, exportCompose } from '../../services/export-compose.js';

export default class ExportCompose extends PolyCommand {
  static override summary = 'Write the project as a compose file (docker compose up).';
  static override description =
    'Every service of poly.toml on one project network: image services keep their image, build services their Dockerfile, runtime services use the image `poly build` names <project>-<service>:latest. Peer variables (<NAME>_URL, _HOST, _PORT) point at <service>:<port> on the network; depends_on waits for healthy; ports bind 127.0.0.1 unless --publish-all.';
  static override examples = [
    '<%= config.bin %> export compose',
    '<%= config.bin %> export compose -o deploy/compose.yaml --publish-all',
    '<%= config.bin %> export compose -o - | docker compose -f - config',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    output: Flags.string({
      char: 'o',
      summary: 'File to write, or - for stdout. Default: compose.yaml beside poly.toml.',
    }),
    'publish-all': Flags.boolean({ summary: 'Publish ports on every interface, not only 127.0.0.1.' }),
  };

  async run(): Promise<Omit<ExportComposeResult, 'text'>> {
    const { flags } = await this.parse(ExportCompose);
    const result = await exportCompose({
      cwd: this.workdir(flags),
      ...(flags.output !== undefined ? { output: flags.output } : {}),
      publishAll: flags['publish-all'],
    });
    if (!result.file) process.stdout.write(result.text);
    else if (!this.jsonEnabled())
      process.stderr.write(`poly: wrote ${result.file} (${result.services.length} services)\n`);
    return { ...(result.file ? { file: result.file } : {}), services: result.services };
  }
}
