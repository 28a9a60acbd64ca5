import type { EnvironmentDelta, ShellName } from './types.js';

/** Version of the cache/hook protocol below; a hook meeting another version asks poly again. */
export const HOOK_PROTOCOL = '3';

/** A POSIX sh word that stands for `value` exactly (bash, zsh, dash). */
export function quotePosix(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A fish word that stands for `value` exactly: in fish's single quotes only \\ and \' are escapes. */
export function quoteFish(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** `poly env --shell X`: plain lines to eval, relative to the caller's PATH. */
export function renderExports(delta: EnvironmentDelta, shell: ShellName): string {
  const lines: string[] = [];
  if (shell === 'fish') {
    if (delta.pathPrepend.length)
      lines.push(`set -gx PATH ${delta.pathPrepend.map(quoteFish).join(' ')} $PATH`);
    for (const [name, value] of Object.entries(delta.set)) lines.push(`set -gx ${name} ${quoteFish(value)}`);
    for (const name of delta.unset) lines.push(`set -e ${name}`);
  } else {
    if (delta.pathPrepend.length)
      lines.push(`export PATH=${quotePosix(delta.pathPrepend.join(':'))}"\${PATH:+:$PATH}"`);
    for (const [name, value] of Object.entries(delta.set)) lines.push(`export ${name}=${quotePosix(value)}`);
    for (const name of delta.unset) lines.push(`unset ${name}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** A file besides poly.toml whose change makes a cache stale (an env_file, the supervisor's state). */
export interface WatchedFile {
  path: string;
  /** It existed when the cache was written: stale once it is gone or newer; else, once it appears. */
  present: boolean;
}

/**
 * The cached form the prompt hook and the shims source: calls to functions
 * each of them defines its own way (the hook saves what it overrides, a shim
 * just exports). `home` lets a reader with another POLY_HOME tell the cache is
 * not its own. The watched files follow as `1 path` (existed) or `0 path`
 * pairs on the first line, so a reader tests them before anything is applied.
 */
export function renderHookScript(
  delta: EnvironmentDelta,
  shell: ShellName | 'sh',
  home: string,
  watch: readonly WatchedFile[] = [],
): string {
  const q = shell === 'fish' ? quoteFish : quotePosix;
  const watched = watch.map((w) => ` ${w.present ? 1 : 0} ${q(w.path)}`).join('');
  const lines = [`__poly_begin ${HOOK_PROTOCOL} ${q(home)} ${q(delta.root ?? '')}${watched}`];
  // Before anything is applied: a reader whose venv is missing or broken asks poly to rebuild it.
  if (delta.venv) lines.push(`__poly_venv ${q(delta.venv.dir)}`);
  if (delta.pathPrepend.length) {
    lines.push(
      shell === 'fish'
        ? `__poly_path ${delta.pathPrepend.map(q).join(' ')}`
        : `__poly_path ${q(delta.pathPrepend.join(':'))}`,
    );
  }
  for (const [name, value] of Object.entries(delta.set)) lines.push(`__poly_export ${name} ${q(value)}`);
  for (const name of delta.unset) lines.push(`__poly_unset ${name}`);
  for (const notice of delta.notices) lines.push(`__poly_notice ${q(notice)}`);
  lines.push('__poly_end');
  return `${lines.join('\n')}\n`;
}
