import type { PolyContext } from '../../core/context.js';
import type { EarlySupervisor } from '../../services/up/supervisor-early.js';
import { UP_FLAGS } from '../flag-table.js';
import { readFlags, reportError } from './args.js';

/**
 * Foreground `poly up` printing plain lines (no terminal, or --no-tui): what
 * CI and scripts run, without oclif's start-up. The dashboard, and --json's
 * refusal, stay with oclif.
 */
async function foregroundPlain(
  args: NonNullable<ReturnType<typeof readFlags>>,
  json: boolean,
  ctx: PolyContext,
): Promise<boolean> {
  if (json) return false;
  const { interactiveTerminal } = await import('../../ui/terminal.js');
  if (interactiveTerminal([process.stdout, process.stdin], ctx.env) && !args.booleans.has('no-tui'))
    return false;
  const { upForeground } = await import('../up-foreground.js');
  await upForeground(
    {
      cwd: args.cwd,
      services: [...args.positionals, ...args.rest],
      allContainers: args.booleans.has('container'),
      ctx,
    },
    false,
    ctx.env,
  );
  return true;
}

/**
 * `poly up -d` without oclif: one of the four node start-ups of an up/down
 * cycle (up -d, its supervisor, down) that would otherwise each load oclif.
 */
export async function fastUp(argv: string[], ctx: PolyContext, spawned?: EarlySupervisor): Promise<boolean> {
  try {
    const args = readFlags(argv, UP_FLAGS, { json: true, stopAtPositional: false, physicalCwd: true });
    if (!args) {
      spawned?.gated.cancel();
      return false;
    }
    const json = args.booleans.has('json');
    if (!args.booleans.has('detach')) return await foregroundPlain(args, json, ctx);
    const options = {
      cwd: args.cwd,
      services: [...args.positionals, ...args.rest],
      allContainers: args.booleans.has('container'),
      ctx,
    };
    // `spawned`: the supervisor the dispatcher started before this bundle loaded (fast/up-early.ts).
    const { upDetached } = await import('../up-detached.js');
    const result = await upDetached(options, json, (text) => process.stdout.write(`${text}\n`), spawned);
    if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } catch (err) {
    spawned?.gated.cancel();
    reportError(err);
  }
  return true;
}
