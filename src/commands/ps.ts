import { PolyCommand } from '../cli/base-command.js';
import { listServices, type PsResult } from '../services/ps.js';
import { formatServiceTable } from '../ui/service-lines.js';

export default class Ps extends PolyCommand {
  static override summary = "List the project's running services.";
  static override description =
    'Shows each service of the running `poly up` (foreground or -d): state, runtime, URL, pid, health check, restarts and uptime.';
  static override examples = ['<%= config.bin %> ps', '<%= config.bin %> ps --json'];
  static override enableJsonFlag = true;

  async run(): Promise<PsResult> {
    const { flags } = await this.parse(Ps);
    const result = await listServices({ cwd: this.workdir(flags) });
    if (!this.jsonEnabled()) {
      const left = result.leftovers;
      if (left) {
        const what = [
          ...(left.containers.length ? [`containers ${left.containers.join(', ')}`] : []),
          ...(left.pids.length ? [`processes ${left.pids.join(', ')}`] : []),
        ];
        this.log(
          `No supervisor runs, but a killed one left ${what.join(' and ')} running. Stop them with \`poly down\`.`,
        );
      } else if (!result.running) this.log('No services running. Start them with `poly up -d`.');
      else this.log(formatServiceTable(result.services));
    }
    return result;
  }
}
