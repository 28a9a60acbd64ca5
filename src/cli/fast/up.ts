import { UP_FLAGS } from '../flag-table.js';
import { readFlags, reportError } from './args.js';

/**
 * `poly up -d` without oclif: one of the four node start-ups of an up/down
 * cycle (up -d, its supervisor, down) that would otherwise each load oclif.
 * The foreground `poly up` (the dashboard) stays with oclif.
 */
export async function fastUp(argv: string[]): Promise<boolean> {
  try {
    const args = readFlags(argv, UP_FLAGS, { json: true, stopAtPositional: false, physicalCwd: true });
    if (!args?.booleans.has('detach')) return false;
    const json = args.booleans.has('json');
    const { upDetached } = await import('../up-detached.js');
    const result = await upDetached(
      {
        cwd: args.cwd,
        services: [...args.positionals, ...args.rest],
        allContainers: args.booleans.has('container'),
      },
      json,
      (text) => process.stdout.write(`${text}\n`),
    );
    if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } catch (err) {
    reportError(err);
  }
  return true;
}
