import { NO_FLAGS } from '../flag-table.js';
import { writeStdout } from '../write-stdout.js';
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
    if (flags.booleans.has('json')) writeStdout(`${JSON.stringify(result, null, 2)}\n`);
    // One write: each is a system call, and a listing has dozens of lines.
    else writeStdout((await listing.lines(result)).map((line) => `${line}\n`).join(''));
  } catch (err) {
    reportError(err);
  }
  return true;
}
