import { PolyCommand } from '../cli/base-command.js';
import { refreshShims } from '../services/install/shims.js';

export interface ReshimResult {
  shims: string;
  added: string[];
  removed: string[];
}

export default class Reshim extends PolyCommand {
  static override summary = 'Regenerate the shims for every installed toolchain binary.';
  static override description =
    'poly does this after every install and uninstall; run it by hand after changing the store yourself. Put the shims folder first on PATH for editors, cron and scripts that do not load the shell hook.';
  static override examples = [
    '<%= config.bin %> reshim',
    'export PATH="$(poly reshim --json | jq -r .shims):$PATH"',
  ];
  static override enableJsonFlag = true;

  async run(): Promise<ReshimResult> {
    await this.parse(Reshim);
    const { layout, host } = this.context();
    const { added, removed } = refreshShims(layout, host);
    if (!this.jsonEnabled()) {
      process.stdout.write(`${layout.shims}: ${added.length} added, ${removed.length} removed\n`);
    }
    return { shims: layout.shims, added, removed };
  }
}
