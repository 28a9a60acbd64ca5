import type { PolyContext } from '../core/context.js';
import { thisProcessContext } from './this-process.js';

/**
 * Commands served before oclif loads: exec, env and hook-env run on every
 * prompt or script and must stay lean; ls, ps, templates, config list and the
 * root help answer without paying oclif's start-up; `up -d`, `down` and the
 * supervisor they start are four node start-ups per cycle, without oclif too. Each fast path calls the same service
 * its oclif command calls. Returns false when argv is not a fast path, so
 * bin/run.cjs hands over to oclif.
 */
export type FastPath = (argv: string[], ctx: PolyContext) => Promise<boolean>;

/** Loads a fast path; `up` also spawns its supervisor before its own bundle loads. */
type LoadFastPath = (argv: string[], ctx: PolyContext) => Promise<FastPath>;

const FAST_PATHS: Record<string, LoadFastPath> = {
  install: async () => (await import('./install-fast-path.js')).installFastPath,
  exec: async () => (await import('./fast/exec.js')).fastExec,
  env: async () => (await import('./fast/env.js')).fastEnv,
  'hook-env': async () => (await import('./fast/hook-env.js')).fastHookEnv,
  ls: async () => (await import('./fast/ls.js')).fastLs,
  ps: async () => (await import('./fast/ps.js')).fastPs,
  templates: async () => (await import('./fast/templates.js')).fastTemplates,
  config: async () => (await import('./fast/config-list.js')).fastConfigList,
  '--help': async () => (await import('./fast/help.js')).fastHelp,
  help: async () => (await import('./fast/help.js')).fastHelp,
  run: async () => (await import('./fast/run.js')).fastRun,
  up: async (argv, ctx) => {
    const early = (await import('./fast/up-early.js')).spawnEarlyUp(argv, ctx);
    const { fastUp } = await import('./fast/up.js');
    return (rest, context) => fastUp(rest, context, early);
  },
  down: async () => (await import('./fast/down.js')).fastDown,
  supervise: async () => (await import('./fast/supervise.js')).fastSupervise,
};

export async function runFastPath(argv: string[]): Promise<boolean> {
  const name = argv[0];
  if (!name || !Object.hasOwn(FAST_PATHS, name)) return false;
  const load = FAST_PATHS[name];
  if (!load) return false;
  // The fast paths' entry: this process's context, made once, for every handler.
  const ctx = thisProcessContext();
  const rest = argv.slice(1);
  const handler = await load(rest, ctx);
  return handler(rest, ctx);
}
