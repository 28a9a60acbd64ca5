import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PolyContext } from '../../core/context.js';
import { envFileDefinitions } from '../../core/env/dotenv.js';
import { renderNativeEnv } from '../../core/env/service-env/render.js';
import { parseTemplate, referencedNames } from '../../core/env/service-env/template.js';
import type { EnvSource } from '../../core/env/service-env/types.js';
import type { Manifest, TaskSpec } from '../../core/manifest/types.js';
import { writeFileAtomic } from '../../core/store/atomic-write.js';
import { projectLayout, storeLayout } from '../../core/store/layout.js';
import { WATCHDOG_SCRIPT } from '../../core/supervisor/native-runner.js';
import { commandLine } from '../../core/tasks/command-line.js';
import { withTaskEnv } from '../../core/tasks/task-env-values.js';
import { commandInputs } from '../env/command-env.js';
import { projectDelta } from '../env/project-env.js';
import { planEnvironmentBase, planEnvironments } from '../up/env.js';
import { endpointsOf, knownPorts } from './task-env.js';

/** Bumped when the format changes: bin/poly-run.sh serves only the version it knows. */
const PLAN_VERSION = 1;
/** Grace the watchdog gives a task's group between SIGTERM and SIGKILL (as task-process.ts's). */
const WATCHDOG_TENTHS = 50;

type Host = Readonly<Record<string, string | undefined>>;

/** Where the plan of `poly run <name>` is cached: `.poly/run/<name>.sh` (":" as "--"). */
export function runPlanFile(root: string, name: string): string {
  return join(projectLayout(root).dir, 'run', `${name.replace(':', '--')}.sh`);
}

/**
 * After a run of `poly run <name>` (no flags) in which every task passed,
 * caches its plan for bin/poly-run.sh, which then runs it without starting
 * Node: each task's resolved environment (as a delta on the caller's),
 * folder and command arguments, in order, with what the plan depends on
 * (env_files, saved ports, the host variables interpolation read, the venv).
 * Only a plan sh can honour exactly is written: one task at a time (a chain),
 * no sources/outputs, no service dependencies, no database services; any
 * other plan removes a stale file. A cache never fails the run: errors are ignored.
 */
export async function writeRunPlan(
  manifest: Manifest,
  name: string,
  order: readonly TaskSpec[],
  roots: readonly string[],
  ctx: PolyContext,
): Promise<void> {
  const file = runPlanFile(manifest.root, name);
  try {
    const text =
      eligible(manifest, order) && shCanIsolate() ? await planText(manifest, order, roots, ctx) : undefined;
    if (text === undefined) {
      if (existsSync(file)) writeFileAtomic(file, '__poly_run_stale\n');
      return;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, text);
  } catch {
    // The next run goes through Node again, which is always right.
  }
}

function eligible(manifest: Manifest, order: readonly TaskSpec[]): boolean {
  if (order.length === 0) return false;
  if (Object.values(manifest.services).some((s) => s.database)) return false;
  const deps = new Map<string, Set<string>>();
  for (const task of order) {
    if (task.sources.length || task.outputs.length || task.needsServices.length) return false;
    const all = new Set<string>();
    for (const d of task.dependsOn) {
      all.add(d);
      for (const t of deps.get(d) ?? []) all.add(t);
    }
    deps.set(task.id, all);
    for (const line of task.run) if (commandLine(line).file.includes('=')) return false;
  }
  // One at a time: each task waits for the one before it, so sh runs them in the scheduler's order.
  return order.every((t, i) => i === 0 || deps.get(t.id)?.has(order[i - 1]?.id ?? '') === true);
}

/** sh starts a command in its own session with INT and QUIT at their defaults (as Node's spawn does). */
function shCanIsolate(): boolean {
  return spawnSync('setsid', ['env', '--default-signal=INT,QUIT', 'true'], { stdio: 'ignore' }).status === 0;
}

interface TaskLayers {
  env: Record<string, string>;
  sources: Record<string, EnvSource>;
  /** Variables the environment removes from the caller's (PYTHONHOME beside a venv). */
  unset: string[];
  /** Files whose change changes the environment. */
  files: string[];
  venv?: string;
}

async function planText(
  manifest: Manifest,
  order: readonly TaskSpec[],
  roots: readonly string[],
  ctx: PolyContext,
): Promise<string | undefined> {
  const host: Host = ctx.env;
  const lines: string[] = [
    '# poly run plan, written by src/services/run/plan.ts, read by bin/poly-run.sh',
    call(
      '__poly_run_begin',
      PLAN_VERSION,
      storeLayout(host).home,
      Math.max(...order.map((t) => t.id.length)),
    ),
  ];
  const body: string[] = [];
  const checks = new Set<string>();
  const index = new Map(order.map((t, i) => [t.id, i + 1]));
  for (const task of order) {
    const layers = await layersOf(manifest, task, ctx);
    if (!layers) return undefined;
    for (const f of layers.files)
      checks.add(existsSync(f) ? call('__poly_run_newer', f) : call('__poly_run_absent', f));
    if (layers.venv) checks.add(call('__poly_run_venv', layers.venv));
    for (const n of hostNamesRead(manifest, task, layers, host))
      checks.add(
        host[n] === undefined ? call('__poly_run_host_unset', n) : call('__poly_run_host', n, host[n]),
      );
    const deps = task.dependsOn.map((d) => index.get(d)).join(' ');
    body.push(
      call(
        '__poly_run_task',
        task.id,
        task.dir,
        task.quiet ? 1 : 0,
        envScript(task, layers, host, checks),
        deps,
      ),
    );
    const takesArgs = roots.includes(task.id);
    task.run.forEach((line, i) => {
      const cmd = commandLine(line);
      const last = takesArgs && i === task.run.length - 1 ? 1 : 0;
      body.push(
        call(
          '__poly_run_cmd',
          last,
          cmd.shell ? 1 : 0,
          line,
          ...(cmd.shell ? [line] : [cmd.file, ...cmd.args]),
        ),
      );
    });
  }
  return [
    ...lines,
    ...checks,
    call('__poly_run_watchdog', WATCHDOG_SCRIPT, WATCHDOG_TENTHS),
    ...body,
    '__poly_run_end',
    '',
  ].join('\n');
}

/** The task's environment as the run gave it, with which layer set each variable. */
async function layersOf(
  manifest: Manifest,
  task: TaskSpec,
  ctx: PolyContext,
): Promise<TaskLayers | undefined> {
  const host: Host = ctx.env;
  const spec = task.service ? manifest.services[task.service] : undefined;
  if (!spec) {
    const delta = await projectDelta(manifest.root, { ctx });
    if (delta.missing.length) return undefined;
    const rendered = renderNativeEnv(commandInputs(manifest, delta, host), { onUnset: () => {} });
    return {
      env: withTaskEnv(manifest, task, rendered.env),
      sources: rendered.sources,
      unset: delta.unset,
      files: delta.envFiles ?? [],
      ...(delta.venv ? { venv: delta.venv.dir } : {}),
    };
  }
  const delta = await planEnvironmentBase(manifest, ctx);
  if (delta.missing.length) return undefined;
  const ports = await knownPorts(manifest);
  const native = { ...spec, mode: 'native' as const };
  const planned = planEnvironments(
    manifest,
    delta,
    [native],
    ports,
    await endpointsOf(manifest, ports),
    host,
  )[spec.name];
  if (!planned) return undefined;
  return {
    env: withTaskEnv(manifest, task, planned.env),
    sources: planned.sources,
    unset: [...delta.unset, ...(spec.venv ? ['PYTHONHOME'] : [])],
    files: [
      ...(delta.envFiles ?? []),
      ...(spec.envFiles ?? []).map((f) => f.path),
      projectLayout(manifest.root).portsFile,
    ],
    ...(spec.venv ? { venv: spec.venv } : delta.venv ? { venv: delta.venv.dir } : {}),
  };
}

/** Host variables the written values may read (`${HOME}`): the plan holds only while they are unchanged. */
function hostNamesRead(manifest: Manifest, task: TaskSpec, layers: TaskLayers, host: Host): string[] {
  const spec = task.service ? manifest.services[task.service] : undefined;
  const values = [
    ...Object.values(manifest.env),
    ...Object.values(spec?.env ?? {}),
    ...Object.values(task.env),
    ...envFileDefinitions([...(manifest.project.envFiles ?? []), ...(spec?.envFiles ?? [])], host, 'plan')
      .filter((d) => d.template)
      .map((d) => d.value),
  ];
  const names = new Set(values.flatMap((v) => referencedNames(parseTemplate(v))));
  return [...names].filter((n) => !(n in task.env) && (layers.sources[n] ?? 'host') === 'host');
}

/**
 * The environment as sh code applied on top of the caller's: every variable
 * a layer other than the host's set (whatever the caller has then), what the
 * environment removes, and PATH as a prefix of the caller's where it is one.
 */
function envScript(task: TaskSpec, layers: TaskLayers, host: Host, checks: Set<string>): string {
  const out: string[] = [];
  const ok = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
  for (const name of new Set(layers.unset)) if (!(name in layers.env) && ok(name)) out.push(`unset ${name}`);
  for (const [name, value] of Object.entries(layers.env)) {
    if (!ok(name) || (!(name in task.env) && (layers.sources[name] ?? 'host') === 'host')) continue;
    const hostPath = host.PATH;
    if (name === 'PATH' && hostPath && value.endsWith(`:${hostPath}`)) {
      out.push(`PATH=${quote(value.slice(0, -hostPath.length - 1))}:$PATH; export PATH`);
      continue;
    }
    if (name === 'PATH')
      checks.add(
        hostPath === undefined
          ? call('__poly_run_host_unset', 'PATH')
          : call('__poly_run_host', 'PATH', hostPath),
      );
    out.push(`export ${name}=${quote(value)}`);
  }
  return out.join('\n');
}

function call(fn: string, ...args: (string | number)[]): string {
  return [fn, ...args.map((a) => quote(String(a)))].join(' ');
}

function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
