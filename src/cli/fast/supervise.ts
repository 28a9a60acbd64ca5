import type { PolyContext } from '../../core/context.js';
import { SUPERVISE_FLAGS } from '../flag-table.js';
import { readFlags, reportError } from './args.js';

/**
 * The hidden `poly supervise` (what `poly up -d` starts) without oclif:
 * loading oclif and the command tree was most of the time until its services
 * started.
 */
export async function fastSupervise(argv: string[], ctx: PolyContext): Promise<boolean> {
  try {
    const args = readFlags(argv, SUPERVISE_FLAGS, { stopAtPositional: false, physicalCwd: true });
    if (!args) return false;
    const { supervise } = await import('../../services/up/supervise.js');
    await supervise({
      cwd: args.cwd,
      services: [...args.positionals, ...args.rest],
      allContainers: args.booleans.has('container'),
      awaitGo: args.booleans.has('await-go'),
      ctx,
    });
  } catch (err) {
    reportError(err);
  }
  return true;
}
