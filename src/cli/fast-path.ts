/**
 * Commands served before oclif loads (exec, env, hook-env): they run on every
 * prompt or script and must stay lean. Each fast path calls the same service
 * its oclif command calls. Returns false when argv is not a fast path, so
 * bin/run.js hands over to oclif.
 */
export type FastPath = (argv: string[]) => Promise<boolean>;

const FAST_PATHS: Record<string, () => Promise<FastPath>> = {
  install: async () => (await import('./install-fast-path.js')).installFastPath,
  exec: async () => (await import('./fast/exec.js')).fastExec,
  env: async () => (await import('./fast/env.js')).fastEnv,
  'hook-env': async () => (await import('./fast/hook-env.js')).fastHookEnv,
  run: async () => (await import('./fast/run.js')).fastRun,
};

export async function runFastPath(argv: string[]): Promise<boolean> {
  const name = argv[0];
  if (!name || !Object.hasOwn(FAST_PATHS, name)) return false;
  const load = FAST_PATHS[name];
  if (!load) return false;
  const handler = await load();
  return handler(argv.slice(1));
}
