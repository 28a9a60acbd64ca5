import type { PolyContext } from '../../core/context.js';
import { DOWN_FLAGS } from '../flag-table.js';
import { readFlags, reportError } from './args.js';

/** `poly down` without oclif: the same service call and lines (ui/down-lines.ts) as its command. */
export async function fastDown(argv: string[], ctx: PolyContext): Promise<boolean> {
  try {
    const args = readFlags(argv, DOWN_FLAGS, { json: true, stopAtPositional: false, physicalCwd: true });
    // down takes no service names: oclif reports the unexpected argument.
    if (!args || args.positionals.length || args.rest.length) return false;
    const { stopServices } = await import('../../services/up/down.js');
    const result = await stopServices({ cwd: args.cwd, volumes: args.booleans.has('volumes'), ctx });
    if (args.booleans.has('json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const { downLines } = await import('../../ui/down-lines.js');
      for (const line of downLines(result)) process.stdout.write(`${line}\n`);
    }
  } catch (err) {
    reportError(err);
  }
  return true;
}
