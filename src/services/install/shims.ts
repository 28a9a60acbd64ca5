import type { Host } from '../../core/context.js';
import { hostPlatform } from '../../core/env/platform.js';
import { listToolchainBinaries, writeShims } from '../../core/env/shims.js';
import type { StoreLayout } from '../../core/store/layout.js';
import { hookConfig } from '../env/self-command.js';

/**
 * Regenerates POLY_HOME/shims from what is installed: one shim per binary of
 * every installed toolchain. The install engine calls this after every install
 * and uninstall.
 */
export function refreshShims(layout: StoreLayout, host: Host): { added: string[]; removed: string[] } {
  const names = listToolchainBinaries(layout, hostPlatform(host));
  return writeShims(layout.shims, names, hookConfig(layout));
}
