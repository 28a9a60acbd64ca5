import type { PolyContext } from '../../core/context.js';
import { type EarlySupervisor, spawnEarlySupervisor } from '../../services/up/supervisor-early.js';
import { UP_FLAGS } from '../flag-table.js';
import { readFlags } from './args.js';

/**
 * `poly up -d`'s supervisor, spawned from this small bundle before up's own
 * (the whole up service layer) loads: the supervisor's Node start is the
 * longest part of a warm `up -d`, and it now also overlaps with that load.
 * Undefined when this is no `up -d` the fast path serves (fastUp then says no
 * too) or no poly.toml is found (startDetached reports that). Errors are
 * fastUp's to report: it parses the same flags again.
 */
export function spawnEarlyUp(argv: string[], ctx: PolyContext): EarlySupervisor | undefined {
  try {
    const args = readFlags(argv, UP_FLAGS, { json: true, stopAtPositional: false, physicalCwd: true });
    if (!args?.booleans.has('detach')) return undefined;
    return spawnEarlySupervisor(args.cwd, {
      services: [...args.positionals, ...args.rest],
      allContainers: args.booleans.has('container'),
      ctx,
    });
  } catch {
    return undefined;
  }
}
