import { isTable } from '../manifest/checker.js';
import { serviceNameOf, uniqueName } from './names.js';
import { parseTomlFile } from './parse-input.js';
import type { AdoptionNote, ProposedTask } from './types.js';

/** mise task keys poly's [tasks] have too; the rest are named in the report. */
const TASK_KEYS = new Set(['run', 'depends', 'description', 'sources', 'outputs', 'dir', 'env', 'quiet']);

/** mise's `{{config_root}}` is the folder of mise.toml: the project folder a poly project task runs in. */
function withoutConfigRoot(text: string): string {
  return text.replace(/\{\{\s*config_root\s*\}\}/g, '.');
}

/** A mise value is literal but for its templates; in poly.toml `$` interpolates, so it is doubled. */
function literal(text: string): string {
  return text.replace(/\$/g, '$$$$');
}

/**
 * A mise.toml's `[env]` and `[tasks]`, as poly's `[env]` and `[tasks]`. A
 * value that uses a template other than `{{config_root}}`, an env directive
 * (`_.file`, `_.path`) and a task key poly has no equivalent for are left out
 * and said; what is taken means what it meant to mise.
 */
export function parseMiseProject(
  text: string,
  file: string,
): { env: Record<string, string>; tasks: ProposedTask[]; notes: AdoptionNote[] } {
  const data = parseTomlFile(text, file) as Record<string, unknown>;
  const notes: AdoptionNote[] = [];
  const say = (message: string) => notes.push({ file, message });
  const env: Record<string, string> = {};
  const envTable = isTable(data.env) ? data.env : {};
  for (const [key, value] of Object.entries(envTable)) {
    if (key === '_') {
      say(
        `env._ (${Object.keys(isTable(value) ? value : {}).join(', ')}): mise directives; left out (poly reads env files with env_file)`,
      );
      continue;
    }
    const text = scalar(value);
    if (text === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      say(`env.${key}: not a variable with a plain value; left out`);
      continue;
    }
    if (text.includes('{{')) {
      say(`env.${key}: uses a mise template (${text}); left out`);
      continue;
    }
    env[key] = literal(text);
  }
  const taskTable = isTable(data.tasks) ? data.tasks : {};
  const candidates = Object.entries(taskTable).flatMap(([written, raw]) => {
    const task =
      typeof raw === 'string' || Array.isArray(raw) ? { run: raw } : isTable(raw) ? raw : undefined;
    const run = task ? commands(task.run) : undefined;
    if (!task || !run) {
      say(`tasks.${written}: no run command (a file task or an alias); left out, add it to [tasks] by hand`);
      return [];
    }
    if (run.some((r) => r.includes('{{'))) {
      say(`tasks.${written}: its run uses a mise template; left out, add it to [tasks] by hand`);
      return [];
    }
    return [{ written, task, run }];
  });
  // `build:web` (mise's namespaces) -> `build-web`: a colon in poly names a service's task.
  const used = new Set<string>();
  const named = candidates.map((c) => {
    const name = uniqueName(serviceNameOf(c.written, 'task'), used);
    used.add(name);
    return { ...c, name };
  });
  // Only tasks that were taken can be depended on: a depends on a left-out one would not load.
  const taken = new Map(named.map((c) => [c.written, c.name]));
  const tasks: ProposedTask[] = named.map(({ written, name, task, run }) => {
    const extra = Object.keys(task).filter((k) => !TASK_KEYS.has(k));
    if (extra.length) say(`tasks.${written}: ${extra.join(', ')}: poly tasks have no equivalent; left out`);
    if (name !== written)
      say(`tasks.${written}: named ${name} (poly task names are lowercase a-z, 0-9, - and _)`);
    const depends = list(task.depends);
    const missing = depends.filter((d) => !taken.has(d));
    if (missing.length)
      say(`tasks.${written}: depends ${missing.join(', ')}: not a task poly.toml has; left out`);
    const kept = depends.flatMap((d) => taken.get(d) ?? []);
    const taskEnv = Object.fromEntries(
      Object.entries(isTable(task.env) ? task.env : {}).flatMap(([k, v]) => {
        const value = scalar(v);
        return value !== undefined && !value.includes('{{') ? [[k, literal(value)]] : [];
      }),
    );
    const dir = typeof task.dir === 'string' ? withoutConfigRoot(task.dir) : undefined;
    return {
      name,
      source: file,
      run: run.length === 1 ? (run[0] as string) : run,
      ...(typeof task.description === 'string' ? { description: task.description } : {}),
      ...(kept.length ? { depends: kept } : {}),
      ...(list(task.sources).length ? { sources: list(task.sources) } : {}),
      ...(list(task.outputs).length ? { outputs: list(task.outputs) } : {}),
      ...(dir && dir !== '.' && !dir.includes('{{') ? { dir } : {}),
      ...(Object.keys(taskEnv).length ? { env: taskEnv } : {}),
      ...(task.quiet === true ? { quiet: true } : {}),
    };
  });
  return { env, tasks, notes };
}

function scalar(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
}

/** `run`: a command or a list of them, `{{config_root}}` made the project folder. */
function commands(value: unknown): string[] | undefined {
  const items = list(value).map(withoutConfigRoot);
  return items.length ? items : undefined;
}
