import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { PolyError } from '../errors.js';
import { globToRegExp, matchesAny } from './glob.js';
import { TEMPLATE_FILE } from './load.js';
import { renderExpression, replaceLiterals } from './render.js';
import type { OptionValues, TemplateSpec } from './types.js';

/** Never copied: the template's own metadata and what building a tree in place leaves behind. */
const SKIPPED = new Set([
  TEMPLATE_FILE,
  '.git',
  'node_modules',
  'target',
  '.venv',
  '__pycache__',
  '.pytest_cache',
]);

/** Files stored under another name so packaging tools leave them alone (npm drops .gitignore). */
const DOTFILE_RENAMES: Record<string, string> = { _gitignore: '.gitignore' };

export interface PlannedFile {
  /** Path in the template, relative, with forward slashes. */
  source: string;
  /** Path in the new service folder, relative, with forward slashes. */
  target: string;
  content: Buffer;
  mode: number;
}

/** Every file of the new service, rendered in memory: nothing is written yet. */
export function planFiles(template: TemplateSpec, values: OptionValues): PlannedFile[] {
  const substitutions = template.substitutions.map((s) => ({
    patterns: s.files.map(globToRegExp),
    replace: Object.fromEntries(Object.entries(s.replace).map(([k, v]) => [k, renderExpression(v, values)])),
  }));
  const renames = template.renames
    .map((r) => ({ from: r.from, to: renderExpression(r.to, values) }))
    .sort((a, b) => b.from.length - a.from.length);

  const tree = mergedTree(template);
  return [...tree.keys()].sort().map((source) => {
    const absolute = tree.get(source) as string;
    const raw = readFileSync(absolute);
    const replace: Record<string, string> = {};
    for (const s of substitutions) if (matchesAny(source, s.patterns)) Object.assign(replace, s.replace);
    const content =
      Object.keys(replace).length > 0 ? Buffer.from(replaceLiterals(raw.toString('utf8'), replace)) : raw;
    return { source, target: targetPath(source, renames), content, mode: lstatSync(absolute).mode & 0o777 };
  });
}

/** Refuses a non-empty folder; then writes every file, never replacing one that exists. */
export function writeFiles(targetDir: string, files: PlannedFile[]): void {
  assertEmptyTarget(targetDir);
  for (const file of files) {
    const path = join(targetDir, ...file.target.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    try {
      writeFileSync(path, file.content, { flag: 'wx', mode: file.mode });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new PolyError('FILE_EXISTS', `${path} already exists; poly new never overwrites a file`, {
          hint: 'Choose another --path, or move the file away.',
        });
      }
      throw err;
    }
  }
}

export function assertEmptyTarget(targetDir: string): void {
  if (!existsSync(targetDir)) return;
  if (!lstatSync(targetDir).isDirectory()) {
    throw new PolyError('TARGET_NOT_EMPTY', `${targetDir} exists and is not a folder`, {
      hint: 'Choose another name or --path.',
    });
  }
  if (readdirSync(targetDir).length > 0) {
    throw new PolyError(
      'TARGET_NOT_EMPTY',
      `${targetDir} is not empty; poly new only writes into a new or empty folder`,
      {
        hint: 'Choose another name or --path, or empty that folder first.',
      },
    );
  }
}

/**
 * The tree's files (relative path -> absolute file): the base tree without its
 * variant overlays, then the chosen overlay's files over it, replacing the base's
 * file of the same path.
 */
function mergedTree(template: TemplateSpec): Map<string, string> {
  const overlays = Object.values(template.variants).map(
    (v) => `${relative(template.dir, v.dir).split(sep).join('/')}/`,
  );
  const tree = new Map<string, string>();
  for (const file of listTreeFiles(template.dir)) {
    if (!overlays.some((o) => file.startsWith(o))) tree.set(file, join(template.dir, ...file.split('/')));
  }
  if (template.overlay) {
    for (const file of listTreeFiles(template.overlay))
      tree.set(file, join(template.overlay, ...file.split('/')));
  }
  return tree;
}

/** Relative paths of the tree's regular files (symbolic links are not followed). */
export function listTreeFiles(root: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listTreeFiles(root, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

function targetPath(source: string, renames: { from: string; to: string }[]): string {
  let target = source;
  for (const r of renames) {
    if (source === r.from || source.startsWith(`${r.from}/`)) {
      target = r.to + source.slice(r.from.length);
      break;
    }
  }
  const parts = target.split('/');
  const last = parts.length - 1;
  parts[last] = DOTFILE_RENAMES[parts[last] as string] ?? (parts[last] as string);
  target = parts.join('/');
  const normal = normalize(target);
  if (
    isAbsolute(normal) ||
    normal.startsWith(`..${sep}`) ||
    normal === '..' ||
    relative('.', normal) === ''
  ) {
    throw new PolyError('TEMPLATE_INVALID', `a rename sends ${source} outside the new folder (${target})`);
  }
  return target;
}
