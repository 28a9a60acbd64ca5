import type { PolyContext } from '../../core/context.js';
import { listServices } from '../../services/up/ps.js';
import { serviceLines } from '../../ui/listings.js';
import { serveListing } from './listings.js';

/** `poly ps` without oclif. */
export async function fastPs(argv: string[], ctx: PolyContext): Promise<boolean> {
  return serveListing(argv, { run: (cwd) => listServices({ cwd, ctx }), lines: serviceLines });
}
