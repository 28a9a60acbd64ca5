import { listToolchains } from '../../services/toolchains.js';
import { toolchainLines } from '../../ui/listings.js';
import { serveListing } from './listings.js';

/** `poly ls` without oclif. */
export async function fastLs(argv: string[]): Promise<boolean> {
  return serveListing(argv, { run: (cwd) => listToolchains({ cwd }), lines: toolchainLines });
}
