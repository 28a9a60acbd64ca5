import type { Hook } from '@oclif/core';
import { EXIT_USAGE, PolyError } from '../../core/errors.js';
import { didYouMean } from '../../core/text/did-you-mean.js';
import { reportError } from '../render-error.js';

/** `poly instal`: a usage error (exit 2) with a did-you-mean, rendered like every other error. */
const hook: Hook.CommandNotFound = async (options) => {
  // With flexible taxonomy oclif joins every argument into the id ("ues:node@20"):
  // the command is the first word, or the first two under a topic ("config sett").
  const words = options.id.split(':');
  const topic = options.config.topics.some((t) => t.name === words[0]);
  const typed = words.slice(0, topic ? 2 : 1).join(' ');
  const known = options.config.commands
    .filter((c) => !c.hidden)
    .map((c) => c.id.replaceAll(':', ' '))
    .concat(options.config.topics.map((t) => t.name.replaceAll(':', ' ')));
  const guess = didYouMean(typed, known);
  const err = new PolyError('UNKNOWN_COMMAND', `unknown command "${typed}"`, {
    hint: guess ? `Did you mean \`poly ${guess}\`?` : 'Run `poly help` to list every command.',
    exitCode: EXIT_USAGE,
  });
  reportError(err);
  process.exit(EXIT_USAGE);
};

export default hook;
