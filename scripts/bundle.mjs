// Bundles what bin/run.js loads before oclif into dist/bundle/: the dispatcher
// (src/cli/fast-path.ts) and, one file each, every fast path it imports lazily, with the
// small pure-JS dependencies inlined. Loading one or two files instead of a few hundred is
// what makes the cold commands fast. tsc's dist/src stays as it is: the tests and oclif's
// commands load it, and bin/run.js falls back to it when there is no bundle.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(ROOT, 'dist', 'bundle');
const DISPATCHER = resolve(ROOT, 'src', 'cli', 'fast-path.ts');

/**
 * Loaded lazily by the paths that use them, and never worth inlining: oclif (the slow path
 * itself), Ink and React (the dashboard), dockerode (native optional parts), tar.
 */
const EXTERNAL = ['@oclif/core', 'ink', 'react', 'react/*', 'dockerode', 'tar'];

/** The fast paths the dispatcher imports: `import('./fast/env.js')` -> src/cli/fast/env.ts. */
function fastPathModules() {
  const source = readFileSync(DISPATCHER, 'utf8');
  const specs = [...source.matchAll(/import\('(\.\/[^']+\.js)'\)/g)].map((m) => m[1]);
  return [...new Set(specs)];
}

/** Flat output names: ./fast/env.js -> env; ./install-fast-path.js -> install-fast-path. */
const outName = (spec) => basename(spec, '.js');

/**
 * In the dispatcher's bundle, each lazy import of a fast path stays a lazy import, of that
 * fast path's own bundle beside it.
 */
const fastPathsStayLazy = (specs) => ({
  name: 'fast-paths-stay-lazy',
  setup(b) {
    b.onResolve({ filter: /^\.\// }, (args) => {
      if (args.importer !== DISPATCHER || !specs.includes(args.path)) return undefined;
      return { path: `./${outName(args.path)}.js`, external: true };
    });
  },
});

/**
 * A lazily imported source file that imports an external package at its top (an Ink view:
 * `import { render } from 'ink'`) stays a lazy import, of tsc's output of that file. Inlined,
 * its static import of the external would be hoisted to the top of the bundle (ESM imports
 * are static), and every run of the fast path would load Ink and React, used or not. A .tsx
 * file counts too: its JSX imports react/jsx-runtime.
 */
const staticExternalImport = new RegExp(
  `^import (?!type )[^;]*from '(${EXTERNAL.map((e) => e.replace('/*', "(/[^']*)?")).join('|')})'`,
  'm',
);
const lazyViewsStayLazy = {
  name: 'lazy-views-stay-lazy',
  setup(b) {
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
};

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

export async function bundle() {
  const { build } = await import('esbuild').catch(() => {
    throw new Error('esbuild is missing from node_modules: run `npm ci` (or `npm install`) first');
  });
  const specs = fastPathModules();
  const entryPoints = { 'fast-path': DISPATCHER };
  for (const spec of specs)
    entryPoints[outName(spec)] = resolve(dirname(DISPATCHER), spec.replace(/\.js$/, '.ts'));
  if (Object.keys(entryPoints).length !== specs.length + 1)
    throw new Error('two fast paths share a file name');
  await build({
    absWorkingDir: ROOT,
    entryPoints,
    outdir: OUT,
    bundle: true,
    // One self-contained file per entry: a lazy import inside a fast path is inlined as a
    // lazily run module, which costs far less than opening a chunk file per shared module.
    splitting: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // CommonJS dependencies (semver) call require(); ESM output has none of its own.
    banner: {
      js: "import { createRequire as __polyRequire } from 'node:module';\nconst require = __polyRequire(import.meta.url);",
    },
    plugins: [fastPathsStayLazy(specs), lazyViewsStayLazy, keepModuleUrls],
    logLevel: 'warning',
    legalComments: 'none',
    // Less to parse on every start; identifiers keep their names (error classes are named).
    minifyWhitespace: true,
    minifySyntax: true,
  });
}
