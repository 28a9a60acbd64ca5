import { resolve } from 'node:path';
import { didYouMean } from '../text/did-you-mean.js';
import { type Checker, describeValue, isTable, type Table } from './checker.js';
import { findCycle } from './find-cycle.js';
import type { ServiceSpec, TaskSpec } from './types.js';
import { insideProject } from './validate-service.js';

const TASK_KEYS = ['run', 'depends', 'sources', 'outputs', 'env', 'dir', 'description', 'quiet'];
const TASK_NAME = /^[a-z][a-z0-9_-]*$/;
/** `depends = ["service:db"]`: start that service (and what it depends on) for the task. */
export const SERVICE_DEPENDENCY = 'service:';

interface RawTask {
  spec: TaskSpec;
  /** The depends entries as written. */
  depends: string[];
  /** Where the task is written, for messages: ['tasks', 'ci'] or ['services', 'api', 'tasks', 'test']. */
  path: string[];
}

/**
 * [tasks.<name>] and [services.<s>.tasks], checked and typed, every `depends`
 * resolved to task ids and services; unknown names and cycles are refused.
 */
export function tasksOf(
  projectTasks: unknown,
  services: Record<string, ServiceSpec>,
  serviceTasks: Record<string, unknown>,
  check: Checker,
): Record<string, TaskSpec> {
  const raw: RawTask[] = [];
  for (const [name, value] of Object.entries(check.table(projectTasks, ['tasks'])))
    raw.push(taskOf(name, value, ['tasks', name], check.ctx.root, undefined, check));
  for (const [svc, table] of Object.entries(serviceTasks)) {
    const service = services[svc];
    if (!service) continue;
    for (const [name, value] of Object.entries(check.table(table, ['services', svc, 'tasks'])))
      raw.push(taskOf(name, value, ['services', svc, 'tasks', name], service.path, svc, check));
  }
  const ids = new Set(raw.map((t) => t.spec.id));
  const tasks: Record<string, TaskSpec> = {};
  for (const task of raw) {
    resolveDepends(task, ids, services, check);
    tasks[task.spec.id] = task.spec;
  }
  const cycle = findCycle(
    Object.fromEntries(Object.values(tasks).map((t) => [t.id, { dependsOn: t.dependsOn }])),
  );
  if (cycle) {
    const first = raw.find((t) => t.spec.id === cycle[0]);
    check.fail(
      [...(first?.path ?? ['tasks']), 'depends'],
      `task depends cycle: ${cycle.join(' -> ')}`,
      'A task cannot wait for itself; remove one of these dependencies.',
    );
  }
  return tasks;
}

function taskOf(
  name: string,
  value: unknown,
  path: string[],
  baseDir: string,
  service: string | undefined,
  check: Checker,
): RawTask {
  const where = path.join('.');
  if (!TASK_NAME.test(name))
    check.fail(
      path,
      `task name "${name}" must start with a lowercase letter and use only a-z, 0-9, - and _`,
      'Rename it, e.g. "build", "test" or "db-migrate".',
    );
  const id = service ? `${service}:${name}` : name;
  const base = { id, name, ...(service ? { service } : {}) };
  if (typeof value === 'string' || Array.isArray(value)) {
    const run = commandsOf(value, path, check);
    return {
      spec: {
        ...base,
        run,
        dependsOn: [],
        needsServices: [],
        sources: [],
        outputs: [],
        env: {},
        dir: baseDir,
        quiet: false,
      },
      depends: [],
      path,
    };
  }
  if (!isTable(value))
    check.fail(
      path,
      `${where} must be a command string or a table, got ${describeValue(value)}`,
      `Write ${name} = "<command>" or ${name} = { run = "<command>", depends = [...] }.`,
    );
  const table = value as Table;
  check.unknownKeys(table, TASK_KEYS, path);
  const run = table.run === undefined ? [] : commandsOf(table.run, [...path, 'run'], check);
  const depends = stringList(
    table.depends,
    [...path, 'depends'],
    'task names',
    '["lint", "api:build"]',
    check,
  );
  if (run.length === 0 && depends.length === 0)
    check.fail(
      path,
      `${where} has nothing to do: it needs run (a command) or depends (other tasks)`,
      'Add run = "<command>", or depends = ["<task>", ...] for a task that groups others.',
    );
  const dir =
    table.dir === undefined
      ? baseDir
      : typeof table.dir === 'string' && table.dir.trim() !== ''
        ? resolve(baseDir, table.dir)
        : check.fail([...path, 'dir'], `${where}.dir must be a folder path, got ${describeValue(table.dir)}`);
  if (table.dir !== undefined) insideProject(dir, check, [...path, 'dir'], `${where}.dir "${table.dir}"`);
  if (table.description !== undefined && typeof table.description !== 'string')
    check.fail(
      [...path, 'description'],
      `${where}.description must be a string, got ${describeValue(table.description)}`,
    );
  if (table.quiet !== undefined && typeof table.quiet !== 'boolean')
    check.fail(
      [...path, 'quiet'],
      `${where}.quiet must be true or false, got ${describeValue(table.quiet)}`,
      'Write quiet = true (no quotes).',
    );
  const spec: TaskSpec = {
    ...base,
    run,
    dependsOn: [],
    needsServices: [],
    sources: stringList(table.sources, [...path, 'sources'], 'globs', '["src/**", "Cargo.toml"]', check),
    outputs: stringList(table.outputs, [...path, 'outputs'], 'globs', '["target/release/api"]', check),
    env: check.envMap(table.env, [...path, 'env']),
    dir,
    ...(table.description ? { description: table.description as string } : {}),
    quiet: table.quiet === true,
  };
  return { spec, depends, path };
}

function commandsOf(value: unknown, path: string[], check: Checker): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((c) => typeof c !== 'string' || c.trim() === ''))
    check.fail(
      path,
      `${path.join('.')} must be a command or a non-empty list of commands, got ${describeValue(value)}`,
      'Write run = "cargo test" or run = ["cargo fmt --check", "cargo clippy"].',
    );
  return list as string[];
}

function stringList(value: unknown, path: string[], what: string, example: string, check: Checker): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === ''))
    check.fail(
      path,
      `${path.join('.')} must be an array of ${what}, got ${describeValue(value)}`,
      `Write ${path[path.length - 1]} = ${example}.`,
    );
  return value as string[];
}

/**
 * A depends entry, in this order: "service:db" a service; "api:build" that
 * service's task; in a service task, a bare name that the same service has;
 * a project task; else that task of every service that has it.
 */
function resolveDepends(
  task: RawTask,
  ids: Set<string>,
  services: Record<string, ServiceSpec>,
  check: Checker,
): void {
  const path = [...task.path, 'depends'];
  const where = path.join('.');
  for (const dep of task.depends) {
    if (dep.startsWith(SERVICE_DEPENDENCY)) {
      const svc = dep.slice(SERVICE_DEPENDENCY.length);
      if (!services[svc]) {
        const names = Object.keys(services);
        const guess = didYouMean(svc, names);
        check.fail(
          path,
          `${where} names "${dep}", but there is no service "${svc}" (services: ${names.join(', ') || 'none'}).${guess ? ` Did you mean "${SERVICE_DEPENDENCY}${guess}"?` : ''}`,
          guess ? `Write "${SERVICE_DEPENDENCY}${guess}".` : `Add [services.${svc}], or remove "${dep}".`,
        );
      }
      if (!task.spec.needsServices.includes(svc)) task.spec.needsServices.push(svc);
      continue;
    }
    const found = taskIdsFor(dep, task.spec.service, ids);
    if (found.length === 0) {
      const names = new Set([...ids].map((id) => id.slice(id.indexOf(':') + 1)));
      const guess = didYouMean(dep, [...new Set([...names, ...ids])]);
      check.fail(
        path,
        `${where} names "${dep}", which is not a task (tasks: ${[...ids].join(', ')}).${guess ? ` Did you mean "${guess}"?` : ''}`,
        guess
          ? `Write "${guess}" instead of "${dep}".`
          : `Add [tasks.${dep}], or write "${SERVICE_DEPENDENCY}${dep}" to start a service.`,
      );
    }
    for (const id of found)
      if (id !== task.spec.id && !task.spec.dependsOn.includes(id)) task.spec.dependsOn.push(id);
    if (found.includes(task.spec.id))
      check.fail(
        path,
        `task depends cycle: ${task.spec.id} -> ${task.spec.id}`,
        'A task cannot wait for itself; remove this dependency.',
      );
  }
}

/** The task ids a name stands for, from a task of `fromService` (undefined: a project task or the command line). */
export function taskIdsFor(
  name: string,
  fromService: string | undefined,
  ids: ReadonlySet<string>,
): string[] {
  if (name.includes(':')) return ids.has(name) ? [name] : [];
  if (fromService && ids.has(`${fromService}:${name}`)) return [`${fromService}:${name}`];
  if (ids.has(name)) return [name];
  return [...ids].filter((id) => id.endsWith(`:${name}`));
}
