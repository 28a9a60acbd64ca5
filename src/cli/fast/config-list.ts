import type { PolyContext } from '../../core/context.js';
import { listConfig } from '../../services/config/config.js';
import { settingLines } from '../../ui/listings.js';
import { serveListing } from './listings.js';

/** `poly config list` without oclif; the other config subcommands go to oclif. */
export async function fastConfigList(argv: string[], ctx: PolyContext): Promise<boolean> {
  if (argv[0] !== 'list') return false;
  return serveListing(argv.slice(1), { run: () => listConfig(ctx.env), lines: settingLines });
}
