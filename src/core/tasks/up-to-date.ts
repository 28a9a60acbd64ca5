import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskSpec } from '../manifest/types.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { globToRegExp } from '../templates/glob.js';

/**
 * Folders a wildcard does not descend into: poly's state, version control,
 * dependency and build folders (a source glob on .rs files must not stat
 * every file of target/). A pattern that starts inside one still reaches it.
 */
const NEVER_WALKED = new Set(['.git', '.poly', 'node_modules', 'target', '.venv', '__pycache__']);

/** Where the last success of each task is recorded: `.poly/tasks/<id>.json`. */
export function taskStateFile(polyDir: string, taskId: string): string {
  return join(polyDir, 'tasks', `${taskId.replace(':', '--')}.json`);
}

/**
 * A fingerprint of what a run depends on: the task's definition, the extra
 * arguments, and the path, size and modification time of every file its
 * `sources` match (content is not read: a cheap stat per file, like make).
 */
export function sourcesFingerprint(task: TaskSpec, extraArgs: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ run: task.run, env: task.env, args: extraArgs, outputs: task.outputs }));
  for (const file of matchingFiles(task.dir, task.sources)) {
    const st = statSync(join(task.dir, file), { throwIfNoEntry: false });
    if (st) hash.update(`\n${file}\0${st.size}\0${st.mtimeMs}`);
  }
  return hash.digest('hex');
}

/**
 * Up to date: the task has sources, its last success saw the same
 * fingerprint, and every output pattern matches something on disk.
 */
export function isUpToDate(task: TaskSpec, fingerprint: string, stateFile: string): boolean {
  if (task.sources.length === 0) return false;
  const last = readLastSuccess(stateFile);
  if (last !== fingerprint) return false;
  return task.outputs.every((pattern) => outputExists(task.dir, pattern));
}

export function recordSuccess(stateFile: string, fingerprint: string): void {
  mkdirSync(join(stateFile, '..'), { recursive: true });
  writeFileAtomic(stateFile, `${JSON.stringify({ fingerprint, at: new Date().toISOString() })}\n`);
}

function readLastSuccess(stateFile: string): string | undefined {
  try {
    const data = JSON.parse(readFileSync(stateFile, 'utf8')) as { fingerprint?: unknown };
    return typeof data.fingerprint === 'string' ? data.fingerprint : undefined;
  } catch {
    return undefined;
  }
}

function outputExists(dir: string, pattern: string): boolean {
  if (!/[*?[]/.test(pattern)) return existsSync(join(dir, pattern));
  return matchingFiles(dir, [pattern]).length > 0;
}

/** Files under `dir` (relative, forward slashes, sorted) that match any of the globs. */
export function matchingFiles(dir: string, patterns: readonly string[]): string[] {
  const found = new Set<string>();
  for (const pattern of patterns) {
    const clean = pattern.replace(/^\.\//, '');
    const re = globToRegExp(clean);
    // Walk only below the part of the pattern without wildcards.
    const fixed: string[] = [];
    for (const segment of clean.split('/')) {
      if (/[*?[]/.test(segment)) break;
      fixed.push(segment);
    }
    const wild = fixed.length < clean.split('/').length;
    if (!wild) {
      const st = statSync(join(dir, clean), { throwIfNoEntry: false });
      if (st?.isFile()) found.add(clean);
      else if (st?.isDirectory()) for (const f of walk(dir, clean)) found.add(f);
      continue;
    }
    for (const file of walk(dir, fixed.join('/'))) if (re.test(file)) found.add(file);
  }
  return [...found].sort();
}

function* walk(root: string, rel: string): Generator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(rel ? join(root, rel) : root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (NEVER_WALKED.has(entry.name)) continue;
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walk(root, path);
    else if (entry.isFile()) yield path;
  }
}
