import type { PolyContext } from '../../core/context.js';
import { PolyError } from '../../core/errors.js';
import { type PlannedTask, type RunTasksResult, runTasks, type TaskEvent } from '../../services/run/tasks.js';
import { plainTaskRenderer, taskPlanText, taskSummary } from '../../ui/task-plain.js';
import { interactiveTerminal } from '../../ui/terminal.js';
import type { RunArgs } from './run-args.js';

/** Exit code of a run stopped by Ctrl-C, as a shell reports SIGINT. */
const EXIT_INTERRUPTED = 130;

/**
 * `poly run` as the fast path and the oclif command both do it: render the
 * events (the Ink view in a terminal, prefixed or grouped lines otherwise),
 * stop every task on Ctrl-C or SIGTERM, print the summary, and answer with
 * the exit code. Throws a PolyError naming the failed tasks.
 */
export async function runTasksFromCli(args: RunArgs, ctx: PolyContext): Promise<number> {
  if (args.watch) {
    const { watchTasks } = await import('./watch-tasks.js');
    return watchTasks(args, (signal) => runOnce(args, ctx, signal, false));
  }
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.on('SIGINT', abort);
  process.on('SIGTERM', abort);
  try {
    return await runOnce(args, ctx, controller.signal, true);
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

async function runOnce(
  args: RunArgs,
  ctx: PolyContext,
  signal: AbortSignal,
  throwOnFailure: boolean,
): Promise<number> {
  const write = (text: string) => process.stdout.write(text);
  let plan: PlannedTask[] = [];
  const live = !args.dryRun && !args.output && interactiveTerminal([process.stdout], ctx.env);
  const view = live ? await (await import('../../ui/run-task-view.js')).taskView() : undefined;
  const render = view?.onEvent ?? plainTaskRenderer(args.output ?? 'prefixed', write);
  let result: RunTasksResult;
  try {
    result = await runTasks({
      cwd: args.cwd,
      task: args.task,
      args: args.args,
      services: args.services,
      failFast: args.failFast,
      dryRun: args.dryRun,
      signal,
      ctx,
      ...(args.jobs ? { jobs: args.jobs } : {}),
      onEvent: (event: TaskEvent) => {
        if (event.type === 'plan') plan = event.tasks;
        render(event);
      },
    });
  } finally {
    await view?.close();
  }
  if (args.dryRun) {
    write(taskPlanText(plan));
    return 0;
  }
  write(`\n${taskSummary(result.tasks)}`);
  if (result.cancelled) {
    process.stderr.write('poly: stopped; every task was ended\n');
    return EXIT_INTERRUPTED;
  }
  const failed = result.tasks.filter((t) => t.status === 'failed').map((t) => t.id);
  if (failed.length === 0) return result.ok ? 0 : 1;
  const error = new PolyError(
    'TASKS_FAILED',
    `${failed.length} of ${result.tasks.length} tasks failed: ${failed.join(', ')}`,
    { hint: `The output above shows why; \`poly run ${failed[0]}\` runs one again.` },
  );
  if (throwOnFailure) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  return 1;
}
