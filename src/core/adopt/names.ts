/**
 * A folder or compose name as a poly service name (a mise task's as a task
 * name, `fallback` "task"): lowercase a-z, 0-9, - and _, starting with a letter.
 */
export function serviceNameOf(raw: string, fallback = 'app'): string {
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return name || fallback;
}

/** `name`, or `name-2`, `name-3` … when it is taken. */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) if (!taken.has(`${name}-${n}`)) return `${name}-${n}`;
}
