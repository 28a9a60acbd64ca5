import { PolyCommand } from '../cli/base-command.js';
import { SUPERVISE_FLAGS } from '../cli/flag-table.js';
import { oclifFlags } from '../cli/oclif-flags.js';
import { supervise } from '../services/up/supervise.js';

export default class Supervise extends PolyCommand {
  static override hidden = true;
  static override summary = 'Run the services in the foreground without output (what `poly up -d` starts).';
  static override description =
    'Internal: `poly up -d` starts this in its own session with its output in .poly/logs/supervisor.log. It serves the control socket that ps, logs, restart, down and a later `poly up -d` (apply poly.toml again) talk to.';
  static override examples = ['<%= config.bin %> supervise --cwd /path/to/project api'];
  static override strict = false;
  static override flags = oclifFlags(SUPERVISE_FLAGS);

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Supervise);
    await supervise({
      cwd: this.workdir(flags),
      services: argv as string[],
      allContainers: flags.container,
      awaitGo: flags['await-go'],
      ctx: this.context(),
    });
  }
}
