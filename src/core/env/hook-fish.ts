import type { HookConfig } from './hook-scripts.js';
import { quoteFish } from './render.js';
import { fishLocateConfig, shellSource } from './shell-sources.js';

// The fish hook: the shell files in ./shell/ (locate.fish, then hook.fish) after the
// values they read. See renderActivation.

export function fishHook(c: HookConfig): string {
  const q = quoteFish;
  return [
    '# poly shell hook (fish). Add to ~/.config/fish/config.fish: poly activate fish | source',
    `set -g __poly_cmd ${c.command.map(q).join(' ')}`,
    `set -g __poly_home ${q(c.home)}`,
    fishLocateConfig(c),
    shellSource('locate.fish'),
    shellSource('hook.fish'),
  ].join('\n');
}
