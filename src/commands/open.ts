import { Args } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { type OpenResult, openService } from '../services/up/open.js';

export default class Open extends PolyCommand {
  static override summary = "Open a service's https URL in the browser.";
  static override description =
    "Opens https://<service>.<project>.localhost (served by poly's local proxy) with $BROWSER, xdg-open or open. Without a name, opens the project's only service with a port.";
  static override examples = ['<%= config.bin %> open web', '<%= config.bin %> open --json'];
  static override enableJsonFlag = true;
  static override args = { service: Args.string({ description: 'The service to open.' }) };

  async run(): Promise<OpenResult> {
    const { args, flags } = await this.parse(Open);
    const result = await openService({
      cwd: this.workdir(flags),
      ...(args.service ? { service: args.service } : {}),
      ctx: this.context(),
    });
    if (!this.jsonEnabled()) this.log(`Opening ${result.url}`);
    return result;
  }
}
