import type { PolyContext } from '../../core/context.js';
import { parseRunArgs } from '../tasks/run-args.js';
import { reportError } from './args.js';

/** `poly run …` without oclif: a task run costs what the task costs, not a CLI framework's start-up. */
export async function fastRun(argv: string[], ctx: PolyContext): Promise<boolean> {
  try {
    const args = parseRunArgs(argv, ctx.env);
    if (!args) return false;
    const { runTasksFromCli } = await import('../tasks/run-tasks-cli.js');
    process.exitCode = await runTasksFromCli(args, ctx);
  } catch (err) {
    reportError(err);
  }
  return true;
}
