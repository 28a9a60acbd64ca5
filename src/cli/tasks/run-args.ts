import { resolve } from 'node:path';
import { logicalCwd } from '../../core/env/project-root.js';
import { EXIT_USAGE, PolyError } from '../../core/errors.js';
import type { TaskOutputMode } from '../../ui/task-plain.js';

export interface RunArgs {
  cwd: string;
  task: string;
  args: string[];
  services: string[];
  jobs?: number;
  failFast: boolean;
  dryRun: boolean;
  watch: boolean;
  output?: TaskOutputMode;
}

/**
 * `poly run [flags] <task> [args…]`: poly's own flags may come before or after
 * the task name (`poly run test --service api`); other words and flags after
 * the name go to the task's last command, and everything after `--` does
 * (`poly run api:test -- --nocapture`). Returns undefined for --help (oclif shows it).
 */
export function parseRunArgs(argv: readonly string[], env: NodeJS.ProcessEnv): RunArgs | undefined {
  const out: Omit<RunArgs, 'task' | 'cwd'> & { cwd?: string; task?: string } = {
    args: [],
    services: [],
    failFast: false,
    dryRun: false,
    watch: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      out.args.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (out.task === undefined) out.task = arg;
      else out.args.push(arg);
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      if (out.task === undefined) return undefined;
      out.args.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined) throw usage(`${name} needs a value`);
      return v;
    };
    if (name === '-C' || name === '--cwd') out.cwd = resolve(value());
    else if (name === '-j' || name === '--jobs') out.jobs = jobsOf(value());
    else if (name === '-s' || name === '--service') out.services.push(value());
    else if (name === '--output') out.output = outputOf(value());
    else if (name === '--fail-fast') out.failFast = true;
    else if (name === '--dry-run' || name === '-n') out.dryRun = true;
    else if (name === '--watch' || name === '-w') out.watch = true;
    else if (out.task !== undefined) out.args.push(arg);
    else
      throw usage(
        `unknown flag ${name}`,
        'Arguments for the task go after its name; `poly run --help` lists the flags.',
      );
  }
  if (out.task === undefined)
    throw usage('poly run: missing the task name', 'Example: poly run test; `poly tasks` lists the tasks.');
  return { ...out, cwd: out.cwd ?? logicalCwd(env), task: out.task };
}

function jobsOf(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw usage(`--jobs must be a positive integer, got "${value}"`);
  return n;
}

function outputOf(value: string): TaskOutputMode {
  if (value === 'prefixed' || value === 'grouped') return value;
  throw usage(`--output must be "prefixed" or "grouped", got "${value}"`);
}

function usage(message: string, hint?: string): PolyError {
  return new PolyError('USAGE', message, {
    exitCode: EXIT_USAGE,
    hint: hint ?? 'Run `poly run --help` for usage and examples.',
  });
}
