import { parseJsonFile } from './parse-input.js';
import type { FolderContext, FolderService } from './types.js';

interface PackageJson {
  scripts?: Record<string, unknown>;
  workspaces?: unknown;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  main?: unknown;
  engines?: { node?: unknown };
}

/** Where each dev server listens when nothing says otherwise (their documented defaults). */
const FRAMEWORK_PORTS: readonly [RegExp, number][] = [
  [/\bnext\b/, 3000],
  [/\bnuxt\b/, 3000],
  [/\bremix\b/, 3000],
  [/\bastro\b/, 4321],
  [/\bvite\b/, 5173],
  [/\bsvelte-kit\b/, 5173],
  [/\bng serve\b/, 4200],
  [/\breact-scripts start\b/, 3000],
];

/**
 * package.json with a `dev` or `start` script: `npm run dev` (what a person
 * runs locally), else `npm start`, with the package manager the lockfile names.
 * A workspace root (`workspaces`, or pnpm's pnpm-workspace.yaml) only
 * orchestrates its packages (`turbo run dev`): not a service.
 */
export function detectNodeService(ctx: FolderContext): FolderService | undefined {
  const text = ctx.read('package.json');
  if (text === undefined) return undefined;
  const display = ctx.rel === '.' ? 'package.json' : `${ctx.rel}/package.json`;
  const data = parseJsonFile(text, display);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const pkg = data as PackageJson;
  if (pkg.workspaces !== undefined || ctx.files.has('pnpm-workspace.yaml')) return undefined;
  const scripts = pkg.scripts ?? {};
  const script =
    typeof scripts.dev === 'string' ? 'dev' : typeof scripts.start === 'string' ? 'start' : undefined;
  if (!script) return undefined;
  const body = String(scripts[script]);
  const manager = packageManager(ctx);
  const run = script === 'start' && manager === 'npm' ? 'npm start' : `${manager} run ${script}`;
  const port = portOfScript(body) ?? frameworkPort(body) ?? listenPortInSource(ctx, pkg);
  const engine = typeof pkg.engines?.node === 'string' ? pkg.engines.node.trim() : '';
  const impliedPin = engine
    ? { spec: engine, written: `engines.node = "${engine}"`, file: 'package.json' }
    : undefined;
  return {
    runtime: 'node',
    file: 'package.json',
    run,
    ...(port ? { port } : {}),
    ...(impliedPin ? { impliedPin } : {}),
  };
}

const LOCKFILES = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
] as const;

/**
 * The package manager of the nearest lockfile, in this folder or above it:
 * a workspace package (apps/api of a pnpm monorepo) has none of its own, and
 * `npm run dev` there would not be what the repo's people run.
 */
function packageManager(ctx: FolderContext): 'npm' | 'pnpm' | 'yarn' {
  const own = LOCKFILES.find(([file]) => ctx.files.has(file));
  if (own) return own[1];
  const parts = ctx.rel === '.' ? [] : ctx.rel.split('/');
  for (let up = parts.length - 1; up >= 0; up--) {
    const dir = parts.slice(0, up).join('/');
    const found = LOCKFILES.find(([file]) => ctx.repoHas(dir ? `${dir}/${file}` : file));
    if (found) return found[1];
  }
  return 'npm';
}

/** `next dev -p 4000`, `vite --port 4000`, `PORT=4000 node server.js`. */
function portOfScript(script: string): number | undefined {
  const m = /(?:--port[= ]|-p |\bPORT=)(\d{2,5})\b/.exec(script);
  return m?.[1] ? Number(m[1]) : undefined;
}

function frameworkPort(script: string): number | undefined {
  return FRAMEWORK_PORTS.find(([pattern]) => pattern.test(script))?.[1];
}

/** `app.listen(process.env.PORT || 3000)` in the package's main file or a usual server file. */
function listenPortInSource(ctx: FolderContext, pkg: PackageJson): number | undefined {
  const candidates = [
    typeof pkg.main === 'string' ? pkg.main : undefined,
    'server.js',
    'index.js',
    'app.js',
    'src/server.ts',
    'src/index.ts',
    'src/main.ts',
    'src/server.js',
    'src/index.js',
  ];
  for (const file of candidates) {
    if (!file) continue;
    const source = ctx.read(file);
    if (source === undefined) continue;
    const m =
      /\.listen\(\s*(?:Number\()?(?:process\.env\.PORT\s*\)?\s*(?:\|\||\?\?)\s*)?(\d{2,5})\b/.exec(source) ??
      /process\.env\.PORT\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})\b/.exec(source);
    if (m?.[1]) return Number(m[1]);
  }
  return undefined;
}
