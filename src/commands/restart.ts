import { Args } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import type { ServiceStatus } from '../core/supervisor/status.js';
import { restartService } from '../services/up/restart.js';

export default class Restart extends PolyCommand {
  static override summary = 'Restart one running service.';
  static override description =
    'Stops the service (SIGTERM to its process group, SIGKILL after stop_timeout) and starts it again under the running supervisor; returns once it was started.';
  static override examples = ['<%= config.bin %> restart api'];
  static override enableJsonFlag = true;
  static override args = {
    service: Args.string({ required: true, description: 'Service name from poly.toml.' }),
  };

  async run(): Promise<ServiceStatus> {
    const { args, flags } = await this.parse(Restart);
    const status = await restartService({ cwd: this.workdir(flags), service: args.service });
    if (!this.jsonEnabled())
      this.log(`${status.name}: ${status.state}${status.pid ? ` (pid ${status.pid})` : ''}`);
    return status;
  }
}
