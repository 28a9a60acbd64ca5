import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { PolyContext } from '../../core/context.js';
import { EXIT_USAGE, isPolyError, PolyError } from '../../core/errors.js';
import { requireManifest } from '../../core/manifest/load.js';
import type { Manifest, TaskSpec } from '../../core/manifest/types.js';
import { projectLayout } from '../../core/store/layout.js';
import { commandLine, displayCommand } from '../../core/tasks/command-line.js';
import { requestedTasks, taskClosure } from '../../core/tasks/plan.js';
import { startTaskProcess, type TaskProcess } from '../../core/tasks/task-process.js';
import { isUpToDate, recordSuccess, sourcesFingerprint, taskStateFile } from '../../core/tasks/up-to-date.js';
import { taskEnvironments } from './task-env.js';
import type { TaskServices } from './task-services.js';
import type { TaskEvent, TaskOutcome, TaskStatus } from './tasks-events.js';

export type { PlannedTask, TaskEvent, TaskOutcome } from './tasks-events.js';

export interface RunTasksOptions {
  cwd: string;
  /** "test", "api:test". */
  task: string;
  /** Go to the last command of each requested task. */
  args?: string[];
  /** `--service api`: only these services' task of that name. */
  services?: string[];
  /** Tasks at once; default: the number of CPUs. */
  jobs?: number;
  failFast?: boolean;
  dryRun?: boolean;
  /** Ctrl-C: stop every running task's process group. */
  signal?: AbortSignal;
  onEvent?: (event: TaskEvent) => void;
  /** The caller's environment and machine: the tasks' environments and the cached plan come from it. */
  ctx: PolyContext;
}

export interface RunTasksResult {
  ok: boolean;
  /** True when stopped by the signal (Ctrl-C). */
  cancelled: boolean;
  tasks: TaskOutcome[];
}

/** Time a task's process group gets between SIGTERM and SIGKILL when stopped. */
const STOP_GRACE_MS = 5000;

/**
 * `poly run`: the requested tasks and their dependencies, each as soon as its
 * dependencies passed, at most `jobs` at once. A failure does not stop the
 * others (unless failFast); what depends on it is skipped.
 */
export async function runTasks(options: RunTasksOptions): Promise<RunTasksResult> {
  const manifest = requireManifest(options.cwd);
  const tasks = manifest.tasks ?? {};
  const roots = requestedTasks(manifest, options.task, options.services);
  const args = options.args ?? [];
  if (args.length > 0) {
    const bare = roots.find((id) => tasks[id]?.run.length === 0);
    if (bare)
      throw new PolyError(
        'TASK_NO_COMMAND',
        `task ${bare} runs no command of its own, so it takes no arguments`,
        {
          hint: `Pass them to one of the tasks it depends on: ${tasks[bare]?.dependsOn.join(', ')}.`,
          exitCode: EXIT_USAGE,
        },
      );
  }
  const order = taskClosure(tasks, roots);
  const argsOf = (id: string) => (roots.includes(id) ? args : []);
  const polyDir = projectLayout(manifest.root).dir;
  const emit = options.onEvent ?? (() => {});
  emit({
    type: 'plan',
    tasks: order.map((t) => ({
      id: t.id,
      commands: t.run.map((line, i) => displayCommand(line, i === t.run.length - 1 ? argsOf(t.id) : [])),
      dependsOn: t.dependsOn,
      needsServices: t.needsServices,
      upToDate: isUpToDate(t, sourcesFingerprint(t, argsOf(t.id)), taskStateFile(polyDir, t.id)),
    })),
  });
  if (options.dryRun) return { ok: true, cancelled: false, tasks: [] };
  const result = await new TaskScheduler(manifest, order, argsOf, options, emit).run();
  // A plan that ran through is cached for bin/poly-run.sh, which runs it again without Node.
  if (result.ok && !options.services?.length && result.tasks.every((t) => t.status === 'passed')) {
    const { writeRunPlan } = await import('./plan.js');
    await writeRunPlan(manifest, options.task, order, roots, options.ctx);
  }
  return result;
}

class TaskScheduler {
  private readonly status = new Map<string, TaskStatus>();
  private readonly outcomes = new Map<string, TaskOutcome>();
  private readonly processes = new Map<string, TaskProcess>();
  private readonly envFor;
  private services: Promise<TaskServices> | undefined;
  private servicesStopping: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly manifest: Manifest,
    private readonly order: TaskSpec[],
    private readonly argsOf: (id: string) => string[],
    private readonly options: RunTasksOptions,
    private readonly emit: (event: TaskEvent) => void,
  ) {
    this.envFor = taskEnvironments(manifest, options.ctx);
    for (const t of order) this.status.set(t.id, 'pending');
  }

  async run(): Promise<RunTasksResult> {
    const jobs = Math.max(1, this.options.jobs ?? availableParallelism());
    const running = new Map<string, Promise<void>>();
    const onAbort = () => this.stopAll('cancelled');
    this.options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        for (const task of this.order) {
          if (this.status.get(task.id) !== 'pending') continue;
          const blocker = task.dependsOn.find(
            (d) => !['pending', 'running', 'passed', 'up-to-date'].includes(this.status.get(d) ?? ''),
          );
          if (this.stopped || blocker) {
            this.finish(
              task,
              this.stopped ? 'cancelled' : 'skipped',
              0,
              blocker ? `${blocker} did not pass` : undefined,
            );
            continue;
          }
          const ready = task.dependsOn.every((d) =>
            ['passed', 'up-to-date'].includes(this.status.get(d) ?? ''),
          );
          if (!ready || running.size >= jobs) continue;
          this.status.set(task.id, 'running');
          running.set(
            task.id,
            this.runOne(task).finally(() => running.delete(task.id)),
          );
        }
        if (running.size === 0) break;
        await Promise.race(running.values());
      }
    } finally {
      this.options.signal?.removeEventListener('abort', onAbort);
      this.releaseServices();
      await this.servicesStopping;
    }
    const tasks = this.order.map((t) => this.outcomes.get(t.id) as TaskOutcome);
    const cancelled = this.options.signal?.aborted ?? false;
    return {
      ok: !cancelled && tasks.every((t) => t.status === 'passed' || t.status === 'up-to-date'),
      cancelled,
      tasks,
    };
  }

  private async runOne(task: TaskSpec): Promise<void> {
    const started = Date.now();
    const args = this.argsOf(task.id);
    const stateFile = taskStateFile(projectLayout(this.manifest.root).dir, task.id);
    if (isUpToDate(task, sourcesFingerprint(task, args), stateFile)) {
      this.emit({ type: 'start', id: task.id });
      return this.finish(task, 'up-to-date', Date.now() - started);
    }
    this.emit({ type: 'start', id: task.id });
    const failed = (reason: string) =>
      this.finish(task, this.stopped ? 'cancelled' : 'failed', Date.now() - started, reason);
    if (!isDirectory(task.dir)) return failed(`folder ${task.dir} does not exist`);
    let env: Record<string, string>;
    try {
      const ports = task.needsServices.length ? (await this.startServices()).ports : {};
      env = await this.envFor(task, ports);
    } catch (err) {
      // An env value that cannot be interpolated: the hint says how to fix it.
      if (isPolyError(err) && err.hint)
        this.emit({ type: 'line', id: task.id, line: `hint: ${err.hint}`, stream: 'stderr' });
      return failed(err instanceof Error ? err.message : String(err));
    }
    for (const [i, line] of task.run.entries()) {
      if (this.stopped) return failed('stopped');
      const extra = i === task.run.length - 1 ? args : [];
      if (!task.quiet) this.emit({ type: 'command', id: task.id, command: displayCommand(line, extra) });
      const proc = startTaskProcess(commandLine(line, extra), {
        cwd: task.dir,
        env,
        onLine: (text, stream) => this.emit({ type: 'line', id: task.id, line: text, stream }),
      });
      this.processes.set(task.id, proc);
      const exit = await proc.exited;
      this.processes.delete(task.id);
      if (exit.error) this.emit({ type: 'line', id: task.id, line: exit.error, stream: 'stderr' });
      if (exit.code !== 0)
        return failed(exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`);
    }
    if (task.sources.length) recordSuccess(stateFile, sourcesFingerprint(task, args));
    this.finish(task, 'passed', Date.now() - started);
  }

  /** Every `service:` dependency of this run, started once, the first time a task needs one. */
  private startServices(): Promise<TaskServices> {
    const names = [...new Set(this.order.flatMap((t) => t.needsServices))];
    this.services ??= import('./task-services.js').then((m) =>
      m.startTaskServices(this.manifest.root, names, this.options.ctx),
    );
    return this.services;
  }

  private finish(task: TaskSpec, status: TaskStatus, durationMs: number, reason?: string): void {
    this.status.set(task.id, status);
    const outcome: TaskOutcome = { id: task.id, status, durationMs, ...(reason ? { reason } : {}) };
    this.outcomes.set(task.id, outcome);
    this.emit({ type: 'end', outcome });
    if (status === 'failed' && this.options.failFast) this.stopAll('fail-fast');
    const waiting = this.order.some(
      (t) => t.needsServices.length && ['pending', 'running'].includes(this.status.get(t.id) ?? ''),
    );
    if (!waiting) this.releaseServices();
  }

  /** Stops the services this run started (once no unfinished task needs them). */
  private releaseServices(): void {
    const services = this.services;
    if (!services) return;
    this.services = undefined;
    this.servicesStopping = services.then(
      (s) => s.stop(),
      () => undefined,
    );
  }

  private stopAll(_why: 'cancelled' | 'fail-fast'): void {
    this.stopped = true;
    for (const proc of this.processes.values()) void proc.stop(STOP_GRACE_MS);
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
