import { fileURLToPath } from 'node:url';
import type { HookConfig } from '../../core/env/hook-scripts.js';
import type { StoreLayout } from '../../core/store/layout.js';

/**
 * How hooks and shims start poly again: this Node and this bin/run.cjs, by
 * absolute path, so neither PATH nor a project's pinned Node decides which
 * Node runs poly.
 */
export function selfCommand(): [node: string, bin: string] {
  return [process.execPath, fileURLToPath(new URL('../../../../bin/run.cjs', import.meta.url))];
}

export function hookConfig(layout: StoreLayout): HookConfig {
  return {
    command: selfCommand(),
    home: layout.home,
    installs: layout.installs,
    globalRoot: layout.configDir,
    globalCacheSh: layout.globalEnvCache.sh,
    globalCacheFish: layout.globalEnvCache.fish,
  };
}
