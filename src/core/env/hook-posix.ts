import type { HookConfig } from './hook-scripts.js';
import { quotePosix } from './render.js';
import { posixLocateConfig, shellSource } from './shell-sources.js';

// The bash and zsh hooks: the shell files in ./shell/ (locate.sh, hook-common.sh, then
// hook.bash or hook.zsh) after the values they read. See renderActivation.

function posixHook(shell: 'bash' | 'zsh', c: HookConfig): string {
  const q = quotePosix;
  return [
    `# poly shell hook (${shell}). Add to your rc file: eval "$(poly activate ${shell})"`,
    `__poly_cmd=(${c.command.map(q).join(' ')})`,
    `__poly_shell=${shell} __poly_home=${q(c.home)}`,
    posixLocateConfig(c),
    shellSource('locate.sh'),
    shellSource('hook-common.sh'),
    shellSource(`hook.${shell}`),
  ].join('\n');
}

export function bashHook(c: HookConfig): string {
  return posixHook('bash', c);
}

export function zshHook(c: HookConfig): string {
  return posixHook('zsh', c);
}
