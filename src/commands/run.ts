import { Args, Flags } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { parseRunArgs } from '../cli/tasks/run-args.js';
import { runTasksFromCli } from '../cli/tasks/run-tasks-cli.js';

export default class Run extends PolyCommand {
  static override summary = 'Run a task, its dependencies first, independent ones in parallel.';
  static override description =
    'Runs the project task of that name, else that task of every service that has it (`api:test` names one). ' +
    "A project task runs in the project folder with the project's environment; a service task in the service's folder with exactly the service's environment. " +
    'Dependencies run first, independent tasks in parallel (-j). Arguments after the task name go to its last command. ' +
    'A task with `sources` is skipped when none changed since its last success and every `outputs` pattern exists. ' +
    'Exits 0 only if every task passed; the summary names the failed ones. Ctrl-C stops every task and what it started. ' +
    "Poly's own flags may come before or after the task name; other arguments after it, and everything after --, go to the task.";
  static override examples = [
    '<%= config.bin %> run test',
    '<%= config.bin %> run api:test -- --nocapture',
    '<%= config.bin %> run test --service api --service web',
    '<%= config.bin %> run -j 2 --fail-fast ci',
    '<%= config.bin %> run --dry-run ci',
    '<%= config.bin %> run --watch build',
  ];
  static override strict = false;
  static override args = {
    task: Args.string({ description: 'The task, then arguments for its last command.', required: true }),
  };
  static override flags = {
    jobs: Flags.integer({ char: 'j', summary: 'Tasks run at once (default: the number of CPUs).', min: 1 }),
    service: Flags.string({ char: 's', summary: "Only this service's task (repeatable).", multiple: true }),
    'fail-fast': Flags.boolean({ summary: 'Stop every other task at the first failure.' }),
    'dry-run': Flags.boolean({ char: 'n', summary: 'Print the order and what is up to date; run nothing.' }),
    output: Flags.string({
      summary: 'Without a terminal: "prefixed" lines (default) or "grouped" blocks per task.',
      options: ['prefixed', 'grouped'],
    }),
    watch: Flags.boolean({ char: 'w', summary: 'Run again when its sources (or its folder) change.' }),
  };

  async run(): Promise<void> {
    // Poly's flags stop at the task name; the one parser shared with the fast path reads them.
    const ctx = this.context();
    const args = parseRunArgs(this.argv, ctx.env);
    if (!args) return;
    process.exitCode = await runTasksFromCli(args, ctx);
  }
}
