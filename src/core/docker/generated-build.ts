import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, Stats, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolyError } from '../errors.js';
import { buildContextFilter } from './build-context.js';
import { type DockerClient, engineMessage } from './client.js';
import { followBuild, imageId } from './images.js';

/** Where the generated Dockerfile sits inside the context sent to the engine (never in the user's folder). */
export const GENERATED_DOCKERFILE = '.poly-build/Dockerfile';

/** Without a .dockerignore, what a build context leaves home: VCS data, poly's state, build outputs and installed deps. */
const DEFAULT_IGNORE = [
  '.git',
  '.poly',
  'node_modules',
  'target',
  '.venv',
  '__pycache__',
  '.pytest_cache',
  'dist',
].join('\n');

/** Every file gets this mtime in the context, so the same tree sends the same bytes (COPY layers do not churn). */
const CONTEXT_MTIME = new Date('2000-01-01T00:00:00Z');

export interface GeneratedBuild {
  /** The folder sent as the build context. */
  context: string;
  dockerfile: string;
  tag: string;
  labels: Record<string, string>;
  buildArgs: Record<string, string>;
  /** Honour the folder's .dockerignore (else DEFAULT_IGNORE); false sends the whole folder (a toolchain). */
  userIgnore: boolean;
  /** Files sent under .poly-build/ beside the Dockerfile (name -> host path): a CA bundle. */
  extraFiles?: Record<string, string>;
  /** Generated files sent there too (name -> content). */
  extraText?: Record<string, string>;
  onLine?: (line: string) => void;
}

function readIgnoreFile(context: string): string | undefined {
  try {
    return readFileSync(join(context, '.dockerignore'), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The context as a tar stream: the folder, filtered as its .dockerignore says,
 * plus the generated Dockerfile and a generated .dockerignore (the user's
 * rules and the Dockerfile), so the engine's COPY sees the same files the
 * filter sent and never the Dockerfile itself.
 */
async function packContext(build: GeneratedBuild, scratch: string): Promise<NodeJS.ReadableStream> {
  const { create } = await import('tar');
  const rules = build.userIgnore ? (readIgnoreFile(build.context) ?? DEFAULT_IGNORE) : '';
  mkdirSync(join(scratch, '.poly-build'));
  writeFileSync(join(scratch, GENERATED_DOCKERFILE), build.dockerfile);
  for (const [name, source] of Object.entries(build.extraFiles ?? {}))
    copyFileSync(source, join(scratch, '.poly-build', name));
  for (const [name, text] of Object.entries(build.extraText ?? {}))
    writeFileSync(join(scratch, '.poly-build', name), text);
  writeFileSync(join(scratch, '.dockerignore'), `${rules}\n.poly-build/Dockerfile\n.dockerignore\n`);
  const generated = join(scratch, 'generated.tar');
  await create({ cwd: scratch, file: generated, portable: true, mtime: CONTEXT_MTIME }, [
    '.poly-build',
    '.dockerignore',
  ]);
  const userFilter = build.userIgnore
    ? await buildContextFilter(build.context, join(build.context, GENERATED_DOCKERFILE), rules)
    : undefined;
  const filter = (path: string, entry: object) => {
    // generated.tar's entries are tar entries, the folder's come with fs.Stats.
    if (!(entry instanceof Stats)) return true;
    const rel = path.replace(/^\.\//, '');
    if (rel === '.dockerignore' || rel.startsWith('.poly-build')) return false;
    return userFilter ? userFilter(path, entry) : true;
  };
  // The generated entries first: node-tar 7 stalls on an @archive listed after a large folder.
  return create({ cwd: build.context, portable: true, gzip: false, mtime: CONTEXT_MTIME, filter }, [
    `@${generated}`,
    '.',
  ]) as unknown as NodeJS.ReadableStream;
}

/**
 * Builds a generated Dockerfile over a folder through the Engine API. The
 * tag is set by the engine only when every step passed, so a failed build
 * leaves no image under it; the failure names the step and its output's tail.
 */
export async function buildGenerated(client: DockerClient, build: GeneratedBuild): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), 'poly-build-'));
  const tail: string[] = [];
  try {
    const context = await packContext(build, scratch);
    const stream = await client.api.buildImage(context, {
      t: build.tag,
      dockerfile: GENERATED_DOCKERFILE,
      labels: build.labels,
      buildargs: build.buildArgs,
      rm: true,
      forcerm: true,
    });
    await followBuild(client, stream, (line) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      build.onLine?.(line);
    });
  } catch (cause) {
    const step = [...tail].reverse().find((l) => /^Step \d+\/\d+ :/.test(l));
    throw new PolyError(
      'BUILD_FAILED',
      `building ${build.tag} failed${step ? ` at ${step}` : ''}: ${engineMessage(cause)}\n${tail.slice(-25).join('\n')}`,
      {
        hint: 'Fix the step above (it runs as the build stage of the image, in /app), then run poly build again.',
        cause,
      },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const id = await imageId(client, build.tag);
  if (!id) throw new PolyError('BUILD_FAILED', `building ${build.tag} produced no image`);
  return id;
}
