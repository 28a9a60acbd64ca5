import { resolve } from 'node:path';
import { logicalCwd } from '../../core/env/project-root.js';
import { EXIT_USAGE, PolyError } from '../../core/errors.js';

/**
 * A small flag reader for the fast paths, which must not load oclif. It knows
 * the same flags as the oclif commands; anything it does not know (and
 * --help) makes the fast path step aside so oclif answers.
 */
export interface FastFlags {
  cwd: string;
  booleans: Set<string>;
  values: Map<string, string>;
  rest: string[];
}

export function readFlags(
  argv: string[],
  spec: {
    booleans: string[];
    values: string[];
    stopAtPositional: boolean;
    /** The oclif commands' own default (process.cwd()) instead of the shell's logical $PWD. */
    physicalCwd?: boolean;
  },
): FastFlags | undefined {
  const booleans = new Set<string>();
  const values = new Map<string, string>();
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
      if (spec.stopAtPositional) break;
      values.set('_', arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (name === '-C' || name === '--cwd' || spec.values.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw usage(`${name} needs a value`);
      if (name === '-C' || name === '--cwd') cwd = resolve(value);
      else values.set(name, value);
    } else if (spec.booleans.includes(name) && inline === undefined) {
      booleans.add(name);
    } else {
      return undefined; // unknown to the fast path: let oclif parse and report it
    }
  }
  return {
    cwd: cwd ?? (spec.physicalCwd ? process.cwd() : logicalCwd()),
    booleans,
    values,
    rest: argv.slice(i),
  };
}

export function usage(message: string, hint?: string): PolyError {
  return new PolyError('USAGE', message, { exitCode: EXIT_USAGE, ...(hint ? { hint } : {}) });
}

/** The fast paths render errors where the oclif commands do. */
export { reportError } from '../render-error.js';
