import { Args } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { SHELL_NAMES, type ShellName } from '../core/env/types.js';
import { hookEnv } from '../services/env/hook-env.js';

export default class HookEnv extends PolyCommand {
  static override hidden = true;
  static override summary = 'What the shell hook evals when something changed (used by `poly activate`).';
  static override description =
    'Prints calls to the hook functions that restore what the previous project changed and apply the nearest poly.toml. Called only when the hook saw a change; never installs.';
  static override examples = ['<%= config.bin %> hook-env bash'];
  static override args = {
    shell: Args.string({ options: [...SHELL_NAMES], default: 'bash', description: 'The shell.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(HookEnv);
    process.stdout.write(
      await hookEnv({ cwd: this.workdir(flags), shell: args.shell as ShellName, ctx: this.context() }),
    );
  }
}
