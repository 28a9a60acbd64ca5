import { listConfig } from '../../services/config.js';
import { settingLines } from '../../ui/listings.js';
import { serveListing } from './listings.js';

/** `poly config list` without oclif; the other config subcommands go to oclif. */
export async function fastConfigList(argv: string[]): Promise<boolean> {
  if (argv[0] !== 'list') return false;
  return serveListing(argv.slice(1), { run: () => listConfig(), lines: settingLines });
}
