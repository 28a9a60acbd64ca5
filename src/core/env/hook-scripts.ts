import { fishHook } from './hook-fish.js';
import { bashHook, zshHook } from './hook-posix.js';
import type { ShellName } from './types.js';

/** What a hook needs to know, fixed when `poly activate` prints it. */
export interface HookConfig {
  /** How to start poly: [node, bin/run.cjs], absolute, so a project's own node never runs poly. */
  command: string[];
  home: string;
  installs: string;
  /** The folder of the global poly.toml, and where its environment cache lives. */
  globalRoot: string;
  globalCacheSh: string;
  globalCacheFish: string;
}

/**
 * The prompt hook. On every prompt (and cd, where the shell has a hook for
 * it) it walks up from $PWD for poly.toml with `[[ -f ]]` and tests the
 * manifest, lockfile and installs folders against the cache with `-nt`: all
 * builtins, so the steady state starts no process. A different project with a
 * fresh cache is applied by sourcing the cache; only a stale or missing cache
 * runs `poly hook-env`. Applying saves every value it overrides (set or not,
 * exported or not) and leaving restores them byte for byte; PATH goes back to
 * the saved value, or, if the user changed it meanwhile, loses just poly's prefix.
 */
export function renderActivation(shell: ShellName, config: HookConfig): string {
  if (shell === 'fish') return fishHook(config);
  return shell === 'zsh' ? zshHook(config) : bashHook(config);
}
