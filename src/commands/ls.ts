import { PolyCommand } from '../cli/base-command.js';
import { type ListResult, listToolchains } from '../services/install/toolchains.js';
import { toolchainLines } from '../ui/listings.js';

export default class Ls extends PolyCommand {
  static override summary = 'List installed toolchains, and which ones this project uses.';
  static override description =
    'Shows every installed version; `*` marks the ones this project uses. Pinned versions that are not installed are listed as missing.';
  static override examples = ['<%= config.bin %> ls', '<%= config.bin %> ls --json'];
  static override enableJsonFlag = true;

  async run(): Promise<ListResult> {
    const { flags } = await this.parse(Ls);
    const result = listToolchains({ cwd: this.workdir(flags), ctx: this.context() });
    for (const line of toolchainLines(result)) this.log(line);
    return result;
  }
}
