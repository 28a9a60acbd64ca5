import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { storeLayout } from '../core/store/layout.js';

/**
 * How dist/bundle/fast-path.cjs loads a fast path's bundle (scripts/bundle.mjs routes each of
 * the dispatcher's `import('./fast/<name>.js')` here): compiled by V8 from the code it compiled
 * for the same bundle on an earlier run, kept in the store. Node 20 has no compile cache of its
 * own (module.enableCompileCache is Node >= 22.1), and compiling a fast path's bundle was most of
 * what a cold command cost beyond Node's own start (#16).
 *
 * `build` is the bundle's content hash, written in by the bundler: V8 accepts cached code by the
 * source's length, not its content, so the file name tells a rebuilt bundle's cache from the last.
 */
export function loadBundled(name: string, build: string): unknown {
  const dir = storeLayout(process.env).compileCache;
  const thisNode = `-${process.version}-${process.arch}.v8`;
  // A cache of an earlier build of this bundle for this Node is never read again: it goes when
  // this build's is written.
  const earlierBuild = (f: string) =>
    f.startsWith(`${name}-`) &&
    f.endsWith(thisNode) &&
    /^[0-9a-f]{16}$/.test(f.slice(name.length + 1, -thisNode.length));
  return loadScript(join(bundleDir(), `${name}.cjs`), join(dir, `${name}-${build}${thisNode}`), earlierBuild);
}

/** Runs the CommonJS file `file`, from the code V8 cached in `cacheFile` where there is any. */
export function loadScript(
  file: string,
  cacheFile: string,
  replaces: (name: string) => boolean = () => false,
): unknown {
  const cachedData = readIfThere(cacheFile);
  const script = new vm.Script(wrap(readFileSync(file, 'utf8')), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  // After the command: the cache then holds every function this run compiled, not only the top.
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => keep(cacheFile, script, replaces));
  const module = { exports: {} as unknown };
  const require = createRequire(file);
  const run = script.runInThisContext() as ModuleFunction;
  run.call(module.exports, module.exports, require, module, file, dirname(file), importFor(require));
  return module.exports;
}

/**
 * The bundle's `import()`s (scripts/bundle.mjs makes each one a call of this): Node's own modules
 * are required (no ESM loader for them), anything else is imported from here, beside the bundles.
 */
function importFor(require: NodeJS.Require): (specifier: string) => Promise<unknown> {
  return (specifier) =>
    specifier.startsWith('node:') ? Promise.resolve(require(specifier)) : import(specifier);
}

type ModuleFunction = (
  this: unknown,
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
  polyImport: (specifier: string) => Promise<unknown>,
) => void;

/** CommonJS's own wrapper and the bundle's import(), on the first line so that line numbers stay the file's. */
const wrap = (source: string) =>
  `(function (exports, require, module, __filename, __dirname, __polyImport) { ${source}\n})`;

/** The bundles sit beside this code's own bundle (dist/bundle/fast-path.cjs). */
const bundleDir = () => dirname(fileURLToPath(import.meta.url));

/** The cache, if one can be read: none yet, or a store that holds none (ENOTDIR, EACCES), is a miss. */
function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (err) {
    if (isSystemError(err)) return undefined;
    throw err;
  }
}

/**
 * Written whole or not at all (another poly may read it meanwhile). A store that cannot be
 * written (read-only, full, its cache folder a file) costs the next run its compile, never this
 * run its command.
 */
function keep(file: string, script: vm.Script, replaces: (name: string) => boolean): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, file);
    for (const other of readdirSync(dirname(file)))
      if (other !== basename(file) && replaces(other)) rmSync(join(dirname(file), other), { force: true });
  } catch (err) {
    if (!isSystemError(err)) throw err;
    try {
      rmSync(tmp, { force: true });
    } catch (cleanup) {
      if (!isSystemError(cleanup)) throw cleanup;
    }
  }
}

/**
 * Any operating-system error. Not core/errno.ts's errnoCode: this runs in the dispatcher before
 * every fast path, which holds only what each of them needs (bundle-lean's --help case), and a
 * cache is skipped on any such error rather than on chosen codes.
 */
const isSystemError = (err: unknown) => typeof (err as NodeJS.ErrnoException)?.code === 'string';
