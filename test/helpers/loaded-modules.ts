import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POLY_BIN, REPO_ROOT } from './poly-cli.js';

/** What one run of the real CLI loaded, with repo-relative paths. */
export interface LoadedModules {
  /** Every JavaScript file loaded as a module (bundle files, tsc output, packages). */
  files: string[];
  /** The sources those files hold: a bundle file stands for its inputs (dist/bundle-meta.json). */
  sources: string[];
  /** The files' size in bytes: what Node read and compiled. */
  bytes: number;
  /** Node's own modules the run loaded (`node:crypto`), imported or required. */
  builtins: string[];
  /**
   * In the order they happened: each file as it first loaded (repo-relative, as in `files`), and
   * each process it spawned, as `spawn <its arguments>`.
   */
  order: string[];
  stdout: string;
}

/**
 * Node's module hooks (module.register, Node >= 20.6), in the run's own process: each loaded
 * file: and node: URL is appended to the log. CommonJS files a package require()s are not seen; the
 * package's first file, loaded by import(), is.
 */
function hooksImport(log: string): string {
  const hooks = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  const result = await next(url, context);
  if (url.startsWith('file:') || url.startsWith('node:')) appendFileSync(${JSON.stringify(log)}, url + '\\n');
  return result;
}`;
  const register = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  return `--import=data:text/javascript,${encodeURIComponent(register)}`;
}

/**
 * What the module hooks do not see, from a preload in the same process: the CommonJS side. Every
 * Node module require()d (as node:<name>), every file require() compiles, and every file compiled
 * through vm.Script (the bundle loader's V8-cached fast paths, src/cli/bundle-loader.ts).
 */
function commonJsPreload(dir: string, log: string): string {
  const file = join(dir, 'preload.cjs');
  writeFileSync(
    file,
    `const { appendFileSync } = require('node:fs');
const Module = require('node:module');
const vm = require('node:vm');
const { pathToFileURL } = require('node:url');
const note = (url) => appendFileSync(${JSON.stringify(log)}, url + '\\n');
// Before the hook below: the preload's own require is not the run's.
const { ChildProcess } = require('node:child_process');
const spawn = ChildProcess.prototype.spawn;
ChildProcess.prototype.spawn = function (options) {
  note('spawn ' + (options.args || []).join(' ').replace(/\\n/g, ' '));
  return spawn.call(this, options);
};
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const bare = request.startsWith('node:') ? request.slice(5) : request;
  if (Module.isBuiltin(request)) note('node:' + bare);
  else {
    try {
      note(pathToFileURL(Module._resolveFilename(request, parent, isMain)).href);
    } catch {} // not found: the load below says so
  }
  return load.apply(this, arguments);
};
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(code, options) {
    super(code, options);
    if (options && options.filename) note(pathToFileURL(options.filename).href);
  }
};
`,
  );
  return `--require=${file}`;
}

/**
 * Per bundle file, the inlined modules the run never evaluated. esbuild wraps a module that is
 * imported lazily in an init function named by its source path (`"src/core/docker/client.ts"() {…}`,
 * `__esm` / `__commonJS`); V8's coverage of the run (NODE_V8_COVERAGE) says which of them ran.
 * A module the bundle holds unwrapped runs at every load: it counts as loaded, as before.
 */
function unevaluatedModules(coverageDir: string): Map<string, Set<string>> {
  const idle = new Map<string, Set<string>>();
  for (const name of readdirSync(coverageDir)) {
    const report = JSON.parse(readFileSync(join(coverageDir, name), 'utf8')) as V8Coverage;
    for (const script of report.result) {
      if (!script.url.startsWith('file:')) continue;
      const file = relative(REPO_ROOT, fileURLToPath(script.url)).split('\\').join('/');
      if (!file.startsWith('dist/bundle/')) continue;
      const set = idle.get(file) ?? new Set<string>();
      for (const fn of script.functions) if (fn.ranges[0]?.count === 0) set.add(fn.functionName);
      idle.set(file, set);
    }
  }
  return idle;
}

interface V8Coverage {
  result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
}

interface BundleMeta {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/** Runs `node bin/run.cjs <args>` once and returns what it loaded. The run must succeed. */
export function loadedModules(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): LoadedModules {
  const dir = mkdtempSync(join(tmpdir(), 'poly-loaded-'));
  const log = join(dir, 'loaded.log');
  try {
    appendFileSync(log, '');
    const coverage = join(dir, 'coverage');
    const run = spawnSync(
      process.execPath,
      [commonJsPreload(dir, log), hooksImport(log), POLY_BIN, ...args],
      {
        cwd: options.cwd,
        env: { ...options.env, NODE_V8_COVERAGE: coverage },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    if (run.status !== 0) throw new Error(`poly ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
    const entries = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
    const urls = entries.filter((entry) => !entry.startsWith('spawn '));
    const paths = urls.filter((url) => url.startsWith('file:')).map((url) => fileURLToPath(url));
    const meta = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'bundle-meta.json'), 'utf8')) as BundleMeta;
    const files = paths.map((p) => relative(REPO_ROOT, p).split('\\').join('/'));
    const idle = unevaluatedModules(coverage);
    const sources = files.flatMap((f) =>
      Object.keys(meta.outputs[f]?.inputs ?? { [f]: true }).filter((source) => !idle.get(f)?.has(source)),
    );
    const bytes = paths.reduce((sum, p) => sum + statSync(p).size, 0);
    const builtins = urls.filter((url) => url.startsWith('node:'));
    const order = entries
      .filter((entry) => !entry.startsWith('node:'))
      .map((entry) =>
        entry.startsWith('file:') ? relative(REPO_ROOT, fileURLToPath(entry)).split('\\').join('/') : entry,
      );
    return { files, sources: [...new Set(sources)].sort(), bytes, builtins, order, stdout: run.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
