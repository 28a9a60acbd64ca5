import { readFileSync, Stats } from 'node:fs';
import { join, relative } from 'node:path';

type DockerIgnoreFactory = (options: { ignorecase: boolean }) => {
  add(rules: string): { ignores(path: string): boolean };
};

/**
 * What of a build context is sent to the engine, by the context's
 * `.dockerignore` as `docker build` reads it (@balena/dockerignore, the
 * implementation dockerode uses): node_modules and a `.env` with secrets stay
 * home. The Dockerfile and .dockerignore always go, as with docker build.
 * Returns a filter for tar's `create` (paths as "./x/y"); undefined without a
 * .dockerignore (and without `fallbackRules`, which stand in for a missing one).
 */
export async function buildContextFilter(
  context: string,
  dockerfile: string,
  fallbackRules?: string,
): Promise<((path: string, entry: object) => boolean) | undefined> {
  let rules: string;
  try {
    rules = readFileSync(join(context, '.dockerignore'), 'utf8');
  } catch {
    if (fallbackRules === undefined) return undefined;
    rules = fallbackRules;
  }
  // A CommonJS module whose module.exports is the factory.
  const dockerignore = (await import('@balena/dockerignore')).default as unknown as DockerIgnoreFactory;
  const ignore = dockerignore({ ignorecase: false }).add(rules);
  const always = new Set(['.dockerignore', relative(context, dockerfile)]);
  // With an exception (!keep/this) an ignored folder may still hold files to send: walk into it.
  const exceptions = rules
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).replace(/^\/+/, ''));
  const mayHoldException = (dir: string) =>
    exceptions.some((p) => p.startsWith(`${dir}/`) || p.startsWith('*'));
  return (path, entry) => {
    const rel = path.replace(/^\.\/?/, '').replace(/\/$/, '');
    if (rel === '' || always.has(rel)) return true;
    if (!ignore.ignores(rel)) return true;
    return entry instanceof Stats && entry.isDirectory() && mayHoldException(rel);
  };
}
