import { Args, loadHelpClass } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { EXIT_USAGE, PolyError } from '../core/errors.js';
import { didYouMean } from '../core/text/did-you-mean.js';

export default class Help extends PolyCommand {
  static override summary = 'Show help for poly or for one command.';
  static override description =
    'Without arguments, lists every command. With a command (topics separated by spaces, as you would type it), shows its usage, flags, description and examples.';
  static override examples = [
    '<%= config.bin %> help',
    '<%= config.bin %> help use',
    '<%= config.bin %> help config set',
  ];
  static override strict = false;
  static override args = { command: Args.string({ description: 'The command, e.g. "config set"' }) };

  async run(): Promise<void> {
    const { argv } = await this.parse(Help);
    const words = argv as string[];
    const id = words.join(':');
    if (id && !this.config.findCommand(id) && !this.config.findTopic(id)) {
      const known = this.config.commands
        .filter((c) => !c.hidden)
        .map((c) => c.id.replaceAll(':', ' '))
        .concat(this.config.topics.map((t) => t.name.replaceAll(':', ' ')));
      const guess = didYouMean(words.join(' '), known);
      throw new PolyError('UNKNOWN_COMMAND', `no command "${words.join(' ')}"`, {
        hint: guess ? `Did you mean \`poly help ${guess}\`?` : 'Run `poly help` to list every command.',
        exitCode: EXIT_USAGE,
      });
    }
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config, this.config.pjson.oclif.helpOptions ?? {}).showHelp(words);
  }
}
