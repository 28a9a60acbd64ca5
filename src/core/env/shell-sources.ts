import { readFileSync } from 'node:fs';
import type { HookConfig } from './hook-scripts.js';
import { HOOK_PROTOCOL, quoteFish, quotePosix } from './render.js';

/**
 * One of the shell files in ./shell/ (the build copies them beside the
 * compiled code), as poly writes it into a hook or a shim: without the
 * `# shellcheck` directives, which only the file on its own needs.
 */
export function shellSource(name: string): string {
  const text = readFileSync(new URL(`./shell/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => !line.startsWith('# shellcheck '))
    .join('\n');
}

/** What locate.sh and read-cache.sh read, as sh assignments: the store's paths, from the layout. */
export function posixLocateConfig(
  c: Pick<HookConfig, 'home' | 'installs' | 'globalRoot' | 'globalCacheSh'>,
): string {
  const q = quotePosix;
  return [
    `__poly_h=${q(c.home)} __poly_i=${q(c.installs)}`,
    `__poly_g=${q(c.globalRoot)} __poly_gc=${q(c.globalCacheSh)} __poly_protocol=${HOOK_PROTOCOL}`,
    '',
  ].join('\n');
}

/** locate.fish's inputs, as fish assignments. */
export function fishLocateConfig(c: HookConfig): string {
  const q = quoteFish;
  return [
    `set -g __poly_i ${q(c.installs)}`,
    `set -g __poly_g ${q(c.globalRoot)}`,
    `set -g __poly_gc ${q(c.globalCacheFish)}`,
    `set -g __poly_protocol ${HOOK_PROTOCOL}`,
    '',
  ].join('\n');
}
