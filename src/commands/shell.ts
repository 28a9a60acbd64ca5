import { Flags } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { passOnExit } from '../cli/fast/exec.js';
import { runProjectShell } from '../services/env/shell.js';

export default class Shell extends PolyCommand {
  static override summary = "Start a subshell with the project's environment.";
  static override description =
    'Starts $SHELL with the pinned toolchains first on PATH, their variables, [env] and the venv. Missing runtimes are installed first unless --no-install. Type exit to come back.';
  static override examples = ['<%= config.bin %> shell', '<%= config.bin %> shell -C ../other-project'];
  static override flags = {
    'no-install': Flags.boolean({ summary: 'Use what is installed; do not install missing runtimes.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Shell);
    const result = await runProjectShell({
      cwd: this.workdir(flags),
      ctx: this.context(),
      install: !flags['no-install'],
      onEvent: (e) => process.stderr.write(`poly: ${e.message}\n`),
    });
    passOnExit(result.exitCode, result.signal);
  }
}
