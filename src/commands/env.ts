import { PolyCommand } from '../cli/base-command.js';
import { defaultShell } from '../cli/fast/env.js';
import { ENV_FLAGS } from '../cli/flag-table.js';
import { oclifFlags } from '../cli/oclif-flags.js';
import { renderExports } from '../core/env/render.js';
import type { ShellName } from '../core/env/types.js';
import { type EnvReport, environmentReport } from '../services/env/env.js';

export default class Env extends PolyCommand {
  static override summary = "Print the project's environment as export lines or JSON.";
  static override description =
    'The environment of the nearest poly.toml (outside any project: the global one): the folders poly puts first on PATH and the variables it sets, as lines for bash, zsh or fish, or as JSON for editors and scripts. Missing runtimes are listed, not installed.';
  static override examples = [
    'eval "$(<%= config.bin %> env)"',
    '<%= config.bin %> env --shell fish | source',
    '<%= config.bin %> env --json',
  ];
  static override enableJsonFlag = true;
  static override flags = oclifFlags(ENV_FLAGS);

  async run(): Promise<EnvReport> {
    const { flags } = await this.parse(Env);
    const report = await environmentReport({
      cwd: this.workdir(flags),
      ctx: this.context(),
      onEvent: (e) => process.stderr.write(`poly: ${e.message}\n`),
    });
    if (!this.jsonEnabled()) {
      for (const notice of report.notices) process.stderr.write(`poly: ${notice}\n`);
      process.stdout.write(
        renderExports(report, (flags.shell as ShellName | undefined) ?? defaultShell(this.context().env)),
      );
    }
    return report;
  }
}
