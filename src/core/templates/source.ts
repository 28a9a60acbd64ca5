import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { PolyError } from '../errors.js';
import { builtinTemplatesDir, type StoreLayout, templateCacheDir } from '../store/layout.js';
import { didYouMean } from '../text/did-you-mean.js';
import { listTemplateDirs, loadTemplate } from './load.js';
import type { TemplateSpec } from './types.js';

export type TemplateOrigin = 'builtin' | 'path' | 'git';

export interface ResolvedTemplate {
  template: TemplateSpec;
  origin: TemplateOrigin;
}

const GIT_URL = /^(?:(?:https?|ssh|git|file):\/\/|[\w.-]+@[\w.-]+:)/;

export function isGitUrl(ref: string): boolean {
  return GIT_URL.test(ref) || (ref.endsWith('.git') && !existsSync(ref));
}

function isPathLike(ref: string): boolean {
  return (
    ref.startsWith('.') || ref.startsWith('~') || isAbsolute(ref) || ref.includes('/') || ref.includes('\\')
  );
}

/** The built-in templates, loaded, sorted by name. */
export function builtinTemplates(root = builtinTemplatesDir()): TemplateSpec[] {
  return listTemplateDirs(root).map(loadTemplate);
}

/** A built-in template name, a folder with a template.toml, or a git URL (cloned into poly's cache). */
export async function resolveTemplate(
  ref: string,
  context: { cwd: string; layout: StoreLayout; builtinRoot?: string },
): Promise<ResolvedTemplate> {
  if (isGitUrl(ref))
    return { template: loadTemplate(await cloneTemplate(ref, context.layout)), origin: 'git' };
  if (isPathLike(ref)) {
    const dir = ref.startsWith('~') ? join(homedir(), ref.slice(1)) : resolve(context.cwd, ref);
    if (!existsSync(dir)) {
      throw new PolyError('TEMPLATE_NOT_FOUND', `no template folder at ${dir}`, {
        hint: 'Give a folder holding a template.toml, a git URL, or a name from `poly templates`.',
      });
    }
    return { template: loadTemplate(dir), origin: 'path' };
  }
  const root = context.builtinRoot ?? builtinTemplatesDir();
  const names = listTemplateDirs(root).map((dir) => dir.slice(root.length + 1));
  if (!names.includes(ref)) {
    const guess = didYouMean(ref, names);
    throw new PolyError('TEMPLATE_NOT_FOUND', `no built-in template named "${ref}"`, {
      hint: `${guess ? `Did you mean "${guess}"? ` : ''}Templates: ${names.join(', ')}. A folder path or a git URL works too.`,
    });
  }
  return { template: loadTemplate(join(root, ref)), origin: 'builtin' };
}

/**
 * Clones `url` (shallow) into the template cache, replacing an earlier clone of
 * the same URL only once the new one is complete.
 */
export async function cloneTemplate(url: string, layout: StoreLayout): Promise<string> {
  const cache = templateCacheDir(layout);
  mkdirSync(cache, { recursive: true });
  const key = createHash('sha256').update(url).digest('hex').slice(0, 16);
  const dir = join(cache, key);
  const tmp = join(cache, `${key}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  // Listing the built-in templates never clones: execa loads only here.
  const { execa } = await import('execa');
  // `--` ends the options: a URL starting with "-" cannot become a git flag.
  const result = await execa('git', ['clone', '--quiet', '--depth', '1', '--', url, tmp], {
    reject: false,
    stdin: 'ignore',
    env: { GIT_TERMINAL_PROMPT: '0' },
  });
  if (result.failed) {
    rmSync(tmp, { recursive: true, force: true });
    const detail = String(result.stderr || result.shortMessage)
      .trim()
      .split('\n')
      .slice(-2)
      .join(' ');
    throw new PolyError('TEMPLATE_CLONE_FAILED', `git clone ${url} failed: ${detail}`, {
      hint: 'Check the URL and that git can reach it (git must be on PATH).',
    });
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}
