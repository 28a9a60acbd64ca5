import { Args } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { SHELL_NAMES, type ShellName } from '../core/env/types.js';
import { activationScript } from '../services/env/activate.js';

export default class Activate extends PolyCommand {
  static override summary = 'Print the shell hook that switches toolchains as you cd.';
  static override description =
    "Add it to your shell's rc file. On every prompt (and cd in zsh and fish) the shell gets the environment of the nearest poly.toml; leaving a project restores exactly what you had. When nothing changed the hook starts no process: it compares the manifest, lockfile and installs against a cache in .poly/ with shell builtins.";
  static override examples = [
    'echo \'eval "$(poly activate bash)"\' >> ~/.bashrc',
    'echo \'eval "$(poly activate zsh)"\' >> ~/.zshrc',
    "echo 'poly activate fish | source' >> ~/.config/fish/config.fish",
  ];
  static override args = {
    shell: Args.string({ options: [...SHELL_NAMES], required: true, description: 'bash, zsh or fish.' }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(Activate);
    process.stdout.write(activationScript(args.shell as ShellName, this.context().layout));
  }
}
