import { PolyCommand } from '../cli/base-command.js';
import { listServices, type PsResult } from '../services/up/ps.js';
import { serviceLines } from '../ui/listings.js';

export default class Ps extends PolyCommand {
  static override summary = "List the project's running services.";
  static override description =
    'Shows each service of the running `poly up` (foreground or -d): state, runtime, URL, pid, health check, restarts and uptime.';
  static override examples = ['<%= config.bin %> ps', '<%= config.bin %> ps --json'];
  static override enableJsonFlag = true;

  async run(): Promise<PsResult> {
    const { flags } = await this.parse(Ps);
    const result = await listServices({ cwd: this.workdir(flags), ctx: this.context() });
    if (!this.jsonEnabled()) for (const line of serviceLines(result)) this.log(line);
    return result;
  }
}
