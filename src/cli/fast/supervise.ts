import { reportError } from './args.js';
import { readServiceArgs } from './service-args.js';

/**
 * The hidden `poly supervise` (what `poly up -d` starts) without oclif:
 * loading oclif and the command tree was most of the time until its services
 * started.
 */
export async function fastSupervise(argv: string[]): Promise<boolean> {
  try {
    const args = readServiceArgs(argv, ['--container']);
    if (!args) return false;
    const { supervise } = await import('../../services/supervise.js');
    await supervise({
      cwd: args.cwd,
      services: args.services,
      allContainers: args.booleans.has('--container'),
    });
  } catch (err) {
    reportError(err);
  }
  return true;
}
