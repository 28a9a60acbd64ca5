import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** How deep `poly init` looks: `services/api/crates/core` (4) is found, deeper folders are not. */
export const WALK_DEPTH = 4;

/** Folders that hold dependencies, build output or VCS data, never a service or a pin of the project's own. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set([
  '.git',
  'node_modules',
  'target',
  'vendor',
  '.venv',
  'dist',
  'build',
  '.poly',
]);

export interface WalkedFolder {
  /** Relative to the repo root, with "/" separators; "." for the root. */
  rel: string;
  /** The regular files directly in it. */
  files: ReadonlySet<string>;
  /** Its sub-folders that the walk did not skip. */
  dirs: readonly string[];
}

interface IgnoreScope {
  /** The folder holding the .gitignore, relative to the root ("" for the root). */
  base: string;
  rules: Ignore;
}

/**
 * The repo's folders, breadth first, root first, to WALK_DEPTH. Skips the
 * folders above and whatever a .gitignore on the way ignores (each .gitignore
 * applies below its own folder, as git reads them). Unreadable folders are
 * left out rather than failing: init reads what it can.
 */
export function walkRepo(root: string): WalkedFolder[] {
  const out: WalkedFolder[] = [];
  const queue: { rel: string; depth: number; scopes: IgnoreScope[] }[] = [{ rel: '.', depth: 0, scopes: [] }];
  for (let item = queue.shift(); item; item = queue.shift()) {
    const abs = item.rel === '.' ? root : join(root, item.rel);
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true }).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
    } catch {
      continue;
    }
    const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    const scopes = files.has('.gitignore') ? [...item.scopes, scopeOf(abs, item.rel)] : item.scopes;
    const dirs: string[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || SKIPPED_FOLDERS.has(entry.name)) continue;
      const rel = item.rel === '.' ? entry.name : `${item.rel}/${entry.name}`;
      if (isIgnored(scopes, rel)) continue;
      dirs.push(entry.name);
      if (item.depth < WALK_DEPTH) queue.push({ rel, depth: item.depth + 1, scopes });
    }
    const kept = [...files].filter((f) => !isIgnored(scopes, item.rel === '.' ? f : `${item.rel}/${f}`));
    out.push({ rel: item.rel, files: new Set(kept), dirs: dirs.sort() });
  }
  return out;
}

function scopeOf(abs: string, rel: string): IgnoreScope {
  let text = '';
  try {
    text = readFileSync(join(abs, '.gitignore'), 'utf8');
  } catch {}
  return { base: rel === '.' ? '' : `${rel}/`, rules: ignore().add(text) };
}

/** A path (files plain, folders tested with and without the trailing slash) under every scope above it. */
function isIgnored(scopes: readonly IgnoreScope[], rel: string): boolean {
  return scopes.some((scope) => {
    if (!rel.startsWith(scope.base)) return false;
    const inner = rel.slice(scope.base.length);
    return scope.rules.ignores(inner) || scope.rules.ignores(`${inner}/`);
  });
}
