import { resolve } from 'node:path';
import { logicalCwd } from '../../core/env/project-root.js';
import { EXIT_USAGE, PolyError } from '../../core/errors.js';
import type { FlagSpec, FlagTable } from '../flag-table.js';

/**
 * A small flag reader for the fast paths, which must not load oclif. It reads the
 * command's own table (src/cli/flag-table.ts, which the oclif command is built from),
 * plus --json where the command has it and -C/--cwd; anything else (and --help) makes
 * the fast path step aside so oclif answers. Flags are keyed by their long name.
 */
export interface FastFlags {
  cwd: string;
  booleans: Set<string>;
  values: Map<string, string>;
  /** The arguments that are no flags, in order (the last one is also values '_'). */
  positionals: string[];
  rest: string[];
}

export type ReadOptions = {
  /** The command has oclif's --json (enableJsonFlag). */
  json?: boolean;
  /** The first argument that is no flag ends the flags (exec's command). */
  stopAtPositional: boolean;
} & (
  | {
      /** The oclif commands' own default (process.cwd()) instead of the shell's logical $PWD. */
      physicalCwd: true;
    }
  | {
      physicalCwd?: false;
      /** The environment whose $PWD is the shell's logical cwd. */
      env: NodeJS.ProcessEnv;
    }
);

/** `--name` and `-c` of a table -> its long name and spec. */
function flagNames(table: FlagTable, json: boolean): Map<string, { name: string; spec: FlagSpec }> {
  const names = new Map<string, { name: string; spec: FlagSpec }>();
  const all: [string, FlagSpec][] = Object.entries(table);
  if (json) all.push(['json', { type: 'boolean', summary: '' }]);
  for (const [name, spec] of all) {
    names.set(`--${name}`, { name, spec });
    if (spec.char) names.set(`-${spec.char}`, { name, spec });
  }
  return names;
}

export function readFlags(argv: string[], table: FlagTable, options: ReadOptions): FastFlags | undefined {
  const known = flagNames(table, options.json ?? false);
  const booleans = new Set<string>();
  const values = new Map<string, string>();
  const positionals: string[] = [];
  let cwd: string | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      i++;
      break;
    }
    if (arg === '--help' || arg === '-h') return undefined;
    if (!arg.startsWith('-') || arg === '-') {
      if (options.stopAtPositional) break;
      values.set('_', arg);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const given = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const flag = known.get(given);
    if (given === '-C' || given === '--cwd' || flag?.spec.type === 'string') {
      const value = inline ?? argv[++i];
      if (value === undefined) throw usage(`${given} needs a value`);
      if (!flag) cwd = resolve(value);
      else {
        const choices = flag.spec.options;
        if (choices && !choices.includes(value)) return undefined; // oclif names the choices
        values.set(flag.name, value);
      }
    } else if (flag?.spec.type === 'boolean' && inline === undefined) {
      booleans.add(flag.name);
    } else {
      return undefined; // unknown to the fast path: let oclif parse and report it
    }
  }
  return {
    cwd: cwd ?? (options.physicalCwd ? process.cwd() : logicalCwd(options.env)),
    booleans,
    values,
    positionals,
    rest: argv.slice(i),
  };
}

export function usage(message: string, hint?: string): PolyError {
  return new PolyError('USAGE', message, { exitCode: EXIT_USAGE, ...(hint ? { hint } : {}) });
}

/** The fast paths render errors where the oclif commands do. */
export { reportError } from '../render-error.js';
