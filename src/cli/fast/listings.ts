import { NO_FLAGS } from '../flag-table.js';
import { readFlags, reportError } from './args.js';

/**
 * The listing commands without oclif (ls.ts, ps.ts, templates.ts,
 * config-list.ts beside this file): the same service call and the same lines
 * (src/ui/listings.ts) as their oclif commands, and --json printed as oclif
 * prints it (two-space JSON and a newline). Any other flag, an argument or
 * --help steps aside so oclif answers.
 */
export interface Listing<T> {
  run: (cwd: string) => Promise<T> | T;
  lines: (result: T) => Promise<string[]> | string[];
}

export async function serveListing<T>(argv: string[], listing: Listing<T>): Promise<boolean> {
  try {
    const flags = readFlags(argv, NO_FLAGS, { json: true, stopAtPositional: false, physicalCwd: true });
    if (!flags || flags.values.has('_') || flags.rest.length) return false;
    const result = await listing.run(flags.cwd);
    if (flags.booleans.has('json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else for (const line of await listing.lines(result)) process.stdout.write(`${line}\n`);
  } catch (err) {
    reportError(err);
  }
  return true;
}
