import { listServices } from '../../services/ps.js';
import { serviceLines } from '../../ui/listings.js';
import { serveListing } from './listings.js';

/** `poly ps` without oclif. */
export async function fastPs(argv: string[]): Promise<boolean> {
  return serveListing(argv, { run: (cwd) => listServices({ cwd }), lines: serviceLines });
}
