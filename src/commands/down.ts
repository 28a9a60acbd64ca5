import { PolyCommand } from '../cli/base-command.js';
import { DOWN_FLAGS } from '../cli/flag-table.js';
import { oclifFlags } from '../cli/oclif-flags.js';
import { type DownResult, stopServices } from '../services/up/down.js';
import { downLines } from '../ui/down-lines.js';

export default class Down extends PolyCommand {
  static override summary = "Stop the project's services.";
  static override description =
    'Stops every service of the running `poly up` (foreground or -d) in reverse dependency order: SIGTERM to each process group, SIGKILL after stop_timeout. Returns once nothing is left running. Containers and the network poly created for the project are removed; the dependency-cache volumes are kept unless --volumes is given.';
  static override examples = ['<%= config.bin %> down', '<%= config.bin %> down --volumes'];
  static override flags = oclifFlags(DOWN_FLAGS);
  static override enableJsonFlag = true;

  async run(): Promise<DownResult> {
    const { flags } = await this.parse(Down);
    const result = await stopServices({
      cwd: this.workdir(flags),
      volumes: flags.volumes,
      ctx: this.context(),
    });
    if (!this.jsonEnabled()) for (const line of downLines(result)) this.log(line);
    return result;
  }
}
