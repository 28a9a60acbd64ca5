import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globToRegExp } from '../templates/glob.js';

/** Never a reason to run again: poly's state, version control, dependency and build folders. */
const ALWAYS_IGNORED = ['.git', '.poly', 'node_modules', 'target', '.venv', '__pycache__'];

/**
 * Which changed paths (relative to `dir`) count: those matching `sources`,
 * or without sources everything except what the folder's .gitignore ignores
 * (plain patterns: `name`, `dir/`, `*.log`, `/rooted`; negations are not followed).
 */
export function changeFilter(
  dir: string,
  sources: readonly string[],
  outputs: readonly string[] = [],
): (path: string) => boolean {
  const clean = (p: string) => p.split('\\').join('/');
  // A task writing its own outputs must not start itself again.
  const written = outputs.map((o) => segmentMatcher(o.replace(/^\.\//, '')));
  if (sources.length > 0) {
    const patterns = sources.map((s) => globToRegExp(s.replace(/^\.\//, '')));
    return (path) => patterns.some((p) => p.test(clean(path))) && !written.some((m) => m(clean(path)));
  }
  const ignored = [
    ...ALWAYS_IGNORED.map((name) => segmentMatcher(name)),
    ...gitignorePatterns(dir),
    ...written,
  ];
  return (path) => !ignored.some((matches) => matches(clean(path)));
}

function gitignorePatterns(dir: string): ((path: string) => boolean)[] {
  let text = '';
  try {
    text = readFileSync(join(dir, '.gitignore'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'))
    .map((l) => {
      const pattern = l.replace(/\/$/, '');
      if (pattern.startsWith('/')) {
        const re = globToRegExp(pattern.slice(1));
        return (path: string) => re.test(path) || path.startsWith(`${pattern.slice(1)}/`);
      }
      return segmentMatcher(pattern);
    });
}

/** A pattern without a slash matches any path segment, and everything below it. */
function segmentMatcher(pattern: string): (path: string) => boolean {
  if (pattern.includes('/')) {
    const re = globToRegExp(pattern);
    return (path) => re.test(path) || path.startsWith(`${pattern}/`);
  }
  const re = globToRegExp(pattern);
  return (path) => path.split('/').some((segment) => re.test(segment));
}
