// Bundles what bin/run.cjs loads before oclif into dist/bundle/: the dispatcher
// (src/cli/fast-path.ts) and, one CommonJS file each, every fast path it imports lazily, with the
// small pure-JS dependencies inlined. Loading one or two files instead of a few hundred is
// what makes the cold commands fast; CommonJS because Node 20's ESM loader costs a cold command
// several milliseconds before any of poly's code runs, and because V8 can then start a fast path
// from the code it compiled on an earlier run (src/cli/bundle-loader.ts). tsc's dist/src stays
// as it is: the tests and oclif's commands load it, and bin/run.cjs falls back to it when there
// is no bundle.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(ROOT, 'dist', 'bundle');
const DISPATCHER = resolve(ROOT, 'src', 'cli', 'fast-path.ts');
const META = resolve(ROOT, 'dist', 'bundle-meta.json');
const LOADER = resolve(ROOT, 'src', 'cli', 'bundle-loader.ts');

/**
 * Loaded lazily by the paths that use them, from node_modules, and never worth inlining: oclif
 * (the slow path itself), Ink and React (the dashboard), dockerode (native optional parts), tar,
 * and the big packages only rare paths reach (a MariaDB data folder's first certificate, a first
 * run's init SQL, a service's processes): inlined, they were two thirds of up's 1.3 MB.
 */
const EXTERNAL = [
  '@oclif/core',
  'ink',
  'react',
  'react/*',
  'dockerode',
  'tar',
  '@peculiar/x509',
  'pg',
  'execa',
];

/** The fast paths the dispatcher imports: `import('./fast/env.js')` -> src/cli/fast/env.ts. */
function fastPathModules() {
  const source = readFileSync(DISPATCHER, 'utf8');
  const specs = [...source.matchAll(/import\('(\.\/[^']+\.js)'\)/g)].map((m) => m[1]);
  return [...new Set(specs)];
}

/** Flat output names: ./fast/env.js -> env; ./install-fast-path.js -> install-fast-path. */
const outName = (spec) => basename(spec, '.js');

/**
 * In the dispatcher's bundle, each lazy import of a fast path (`import('./fast/ls.js')`) is a
 * call of the bundle loader for that fast path's own bundle beside it (`ls.cjs`), named with its
 * content hash so that V8's cached code of an older build is never taken for it.
 */
const fastPathsThroughLoader = (specs, hashes) => ({
  name: 'fast-paths-through-loader',
  setup(b) {
    b.onResolve({ filter: /^\.\// }, (args) => {
      if (args.importer !== DISPATCHER || !specs.includes(args.path)) return undefined;
      return { path: outName(args.path), namespace: 'poly-fast-path' };
    });
    b.onLoad({ filter: /.*/, namespace: 'poly-fast-path' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(LOADER)}).loadBundled(${JSON.stringify(args.path)}, ${JSON.stringify(hashes.get(args.path))});`,
      loader: 'js',
      resolveDir: ROOT,
    }));
  },
});

/**
 * A lazily imported source file that imports an external package at its top (an Ink view:
 * `import { render } from 'ink'`) stays a lazy import, of tsc's output of that file. Inlined,
 * its static import of the external would be hoisted to the top of the bundle (ESM imports
 * are static), and every run of the fast path would load Ink and React, used or not. A .tsx
 * file counts too: its JSX imports react/jsx-runtime.
 */
const staticImportOf = (externals) =>
  new RegExp(
    `^import (?!type )[^;]*from '(${externals.map((e) => e.replace('/*', "(/[^']*)?")).join('|')})'`,
    'm',
  );
const lazyViewsStayLazyFor = (externals) => ({
  name: 'lazy-views-stay-lazy',
  setup(b) {
    const staticExternalImport = staticImportOf(externals);
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== 'dynamic-import' || !args.path.endsWith('.js')) return undefined;
      const base = resolve(args.resolveDir, args.path.replace(/\.js$/, ''));
      const source = [`${base}.ts`, `${base}.tsx`].find((f) => existsSync(f));
      if (!source) return undefined;
      if (!source.endsWith('.tsx') && !staticExternalImport.test(readFileSync(source, 'utf8')))
        return undefined;
      const compiled = resolve(ROOT, 'dist', relative(ROOT, base));
      return { path: `${relative(OUT, compiled).split('\\').join('/')}.js`, external: true };
    });
  },
});

/**
 * `new URL('../../../templates', import.meta.url)` in a source file means "relative to where
 * tsc put me". In a bundle import.meta.url is the bundle's own URL, so each such source gets
 * the URL of its tsc output (dist/<same path>.js), computed from the bundle's.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const loader = args.path.endsWith('.tsx') ? 'tsx' : 'ts';
      if (!source.includes('import.meta.url')) return { contents: source, loader };
      const compiled = resolve(ROOT, 'dist', relative(ROOT, args.path)).replace(/\.tsx?$/, '.js');
      const fromBundle = relative(OUT, compiled).split('\\').join('/');
      const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader };
    });
  },
};

/** What every build shares: CommonJS for Node 20, the externals lazy, less to parse on every start. */
const COMMON = {
  absWorkingDir: ROOT,
  outdir: OUT,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // A source's import.meta.url (keepModuleUrls made each one relative to it) is the bundle's URL.
  define: { 'import.meta.url': '__polyUrl' },
  banner: { js: 'const __polyUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
  legalComments: 'none',
  // Identifiers keep their names (error classes are named).
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  write: false,
};

/**
 * One file per fast path (CommonJS has no chunks): a lazy import inside it (ps's database URLs,
 * env's installer) is inlined, and evaluated only when that code runs; V8's cached code makes its
 * bytes cheap to carry (src/cli/bundle-loader.ts).
 */
async function buildFastPath(build, name, entry) {
  return build({
    ...COMMON,
    entryPoints: { [name]: entry },
    entryNames: '[name]',
    plugins: [lazyViewsStayLazyFor(EXTERNAL), keepModuleUrls],
  });
}

/**
 * CommonJS cannot require() an ES module on Node 20, and an external package required at a
 * bundle's top would load at every start: each external must stay an import() of its own.
 */
function assertExternalsLazy(result) {
  for (const file of result.outputFiles) {
    const required = EXTERNAL.find((pkg) =>
      new RegExp(`require\\("${pkg.replace('/*', '(/[^"]*)?')}"\\)`).test(file.text),
    );
    if (required)
      throw new Error(`${relative(ROOT, file.path)} requires ${required}: import it lazily (await import())`);
  }
}

/**
 * In a fast path's bundle, each `import("x")` left (an external package, a lazily loaded view of
 * tsc's output, a Node module) becomes `__polyImport("x")`, which the bundle loader passes in: V8
 * code compiled from a cache forgets a vm.Script's import() callback on Node 20 ("A dynamic import
 * callback was not specified"), and the callback itself is experimental there. The loader imports
 * from its own file, which sits beside every bundle, so a specifier means the same there.
 */
const DYNAMIC_IMPORT = /\bimport\(("[^"]+")\)/g;
function routeDynamicImports(result) {
  result.outputFiles = result.outputFiles.map((file) => {
    const text = file.text.replace(DYNAMIC_IMPORT, '__polyImport($1)');
    if (/\bimport\(/.test(text))
      throw new Error(
        `${relative(ROOT, file.path)} has an import() of no plain string: the bundle loader cannot route it`,
      );
    return { path: file.path, text, contents: new TextEncoder().encode(text) };
  });
}

const contentHash = (result) =>
  createHash('sha256')
    .update(result.outputFiles.find((f) => f.path.endsWith('.cjs'))?.contents ?? '')
    .digest('hex')
    .slice(0, 16);

/**
 * The metafile of every build, one JSON beside dist/bundle/ (not shipped): which sources each
 * output holds and what it imports, for bundle-lean.test.ts.
 */
function writeMetafile(results) {
  const inputs = {};
  const outputs = {};
  for (const { metafile } of results) {
    Object.assign(inputs, metafile.inputs);
    Object.assign(outputs, metafile.outputs);
  }
  writeFileSync(META, `${JSON.stringify({ inputs, outputs })}\n`);
}

export async function bundle() {
  const { build } = await import('esbuild').catch(() => {
    throw new Error('esbuild is missing from node_modules: run `npm ci` (or `npm install`) first');
  });
  const specs = fastPathModules();
  const entries = new Map(
    specs.map((spec) => [outName(spec), resolve(dirname(DISPATCHER), spec.replace(/\.js$/, '.ts'))]),
  );
  if (entries.size !== specs.length || entries.has('fast-path'))
    throw new Error('two fast paths share a file name');
  rmSync(OUT, { recursive: true, force: true });
  const paths = await Promise.all([...entries].map(([name, entry]) => buildFastPath(build, name, entry)));
  for (const result of paths) routeDynamicImports(result);
  const hashes = new Map([...entries.keys()].map((name, i) => [name, contentHash(paths[i])]));
  const dispatcher = await build({
    ...COMMON,
    entryPoints: { 'fast-path': DISPATCHER },
    plugins: [fastPathsThroughLoader(specs, hashes)],
  });
  const results = [dispatcher, ...paths];
  mkdirSync(OUT, { recursive: true });
  for (const result of results) {
    assertExternalsLazy(result);
    for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
  }
  writeMetafile(results);
}
