import { renderActivation } from '../../core/env/hook-scripts.js';
import type { ShellName } from '../../core/env/types.js';
import type { StoreLayout } from '../../core/store/layout.js';
import { hookConfig } from './self-command.js';

/** The hook text for the user's rc file (`poly activate bash`). */
export function activationScript(shell: ShellName, layout: StoreLayout): string {
  return renderActivation(shell, hookConfig(layout));
}
