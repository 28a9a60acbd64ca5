import { resolve } from 'node:path';
import { usage } from './args.js';

/** What the lifecycle fast paths (up -d, down, supervise) read from argv. */
export interface ServiceArgs {
  cwd: string;
  booleans: Set<string>;
  /** Service names, wherever they stand (oclif's non-strict commands take them anywhere). */
  services: string[];
}

/**
 * Reads -C/--cwd, the given boolean flags (by every spelling: `aliases`
 * maps `-d` to `--detach`) and positional service names. Anything else (an
 * unknown flag, --help, `-dC`) returns undefined so oclif answers and
 * reports it as it always has.
 */
export function readServiceArgs(
  argv: string[],
  booleans: string[],
  aliases: Record<string, string> = {},
): ServiceArgs | undefined {
  const seen = new Set<string>();
  const services: string[] = [];
  let cwd: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      services.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      services.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name === '-C' || name === '--cwd') {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw usage(`${name} needs a value`);
      cwd = resolve(value);
      continue;
    }
    const flag = aliases[name] ?? name;
    if (eq > 0 || !booleans.includes(flag)) return undefined;
    seen.add(flag);
  }
  return { cwd: cwd ?? process.cwd(), booleans: seen, services };
}
