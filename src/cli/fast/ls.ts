import type { PolyContext } from '../../core/context.js';
import { listToolchains } from '../../services/install/toolchains.js';
import { toolchainLines } from '../../ui/listings.js';
import { serveListing } from './listings.js';

/** `poly ls` without oclif. */
export async function fastLs(argv: string[], ctx: PolyContext): Promise<boolean> {
  return serveListing(argv, { run: (cwd) => listToolchains({ cwd, ctx }), lines: toolchainLines });
}
