// `npm run lint`: no import cycle among poly's own modules (src/, runtimes/, bench/, test/).
// Counts what runs: static imports and re-exports of values, and lazy `import()` (a lazy
// import back into a module that imports you is still a cycle, just a later one).
// `import type` and all-type import lists are erased by tsc and do not count.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOTS = ['src', 'runtimes', 'bench', 'test'];

/** Cycles known and left for a later change, each as its modules in order (none today). A new cycle fails. */
const KNOWN = [];

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function isTypeOnly(node) {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return false; // a side-effect import runs
    if (clause.isTypeOnly) return true;
    const named = clause.namedBindings;
    return !clause.name && !!named && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly);
  }
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const named = node.exportClause;
    return !!named && ts.isNamedExports(named) && named.elements.every((e) => e.isTypeOnly);
  }
  return false;
}

/** The relative modules a file loads at run time, as resolved .ts/.tsx paths. */
function importsOf(file, known) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const specs = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (!isTypeOnly(node)) specs.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specs.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s).replace(/\.js$/, ''))
    .flatMap((base) => [`${base}.ts`, `${base}.tsx`].filter((p) => known.has(p)));
}

const files = ROOTS.flatMap(sources).map((f) => resolve(f));
const moduleSet = new Set(files);
const graph = new Map(files.map((f) => [f, importsOf(f, moduleSet)]));

// Depth-first search; a back edge to a module on the current path closes a cycle.
const state = new Map(); // file -> 'open' | 'done'
const cycles = [];
function walk(file, path) {
  state.set(file, 'open');
  path.push(file);
  for (const next of graph.get(file) ?? []) {
    if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
    else if (!state.has(next)) walk(next, path);
  }
  path.pop();
  state.set(file, 'done');
}
for (const file of files) if (!state.has(file)) walk(file, []);

const names = (cycle) => cycle.slice(0, -1).map((f) => relative(process.cwd(), f).split('\\').join('/'));
const sameCycle = (a, b) => a.length === b.length && a.every((f) => b.includes(f));
const isKnown = (cycle) => KNOWN.some((k) => sameCycle(k, names(cycle)));
for (const k of KNOWN) {
  if (!cycles.some((c) => sameCycle(k, names(c))))
    console.log(`check-cycles: ${k.join(' -> ')} is gone; drop it from KNOWN`);
}
for (const cycle of cycles.filter(isKnown))
  console.log(`check-cycles: known, left for later: ${names(cycle).join(' -> ')}`);
const fresh = cycles.filter((c) => !isKnown(c));
if (fresh.length > 0) {
  for (const cycle of fresh)
    console.error(`import cycle: ${cycle.map((f) => relative('.', f)).join(' -> ')}`);
  console.error('hint: move what both sides need into a module of its own that imports neither.');
  process.exit(1);
}
console.log(`check-cycles: ${files.length} modules, no new import cycle`);
