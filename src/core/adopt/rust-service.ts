import { parseTomlFile } from './parse-input.js';
import type { FolderContext, FolderVerdict } from './types.js';

/** Crates that make a binary a long-running server a person would put in poly.toml. */
const SERVER_CRATES = [
  'axum',
  'actix-web',
  'rocket',
  'warp',
  'hyper',
  'poem',
  'tide',
  'salvo',
  'tonic',
  'tiny_http',
  'ntex',
  'loco-rs',
];

interface CargoToml {
  package?: { name?: unknown; 'default-run'?: unknown };
  bin?: { name?: unknown }[];
  workspace?: unknown;
  dependencies?: Record<string, unknown>;
}

/**
 * Cargo.toml with a binary (src/main.rs or [[bin]]): `cargo run`, or
 * `cargo run --bin <name>` when there are several. Inside a cargo workspace
 * only binaries that depend on a server crate are proposed: the others are
 * usually tools (a CLI, a migrator), and the report says so.
 */
export function detectRustService(ctx: FolderContext): FolderVerdict {
  const text = ctx.read('Cargo.toml');
  if (text === undefined) return undefined;
  const display = ctx.rel === '.' ? 'Cargo.toml' : `${ctx.rel}/Cargo.toml`;
  const cargo = parseTomlFile(text, display) as CargoToml;
  if (!cargo.package) return undefined; // a virtual workspace manifest: its members are the services
  const bins = binaryNames(ctx, cargo);
  if (bins.length === 0) return undefined;
  const deps = Object.keys(cargo.dependencies ?? {});
  const server = deps.some((d) => SERVER_CRATES.includes(d));
  if (!server && insideWorkspace(ctx, cargo))
    return {
      file: 'Cargo.toml',
      skip: `a workspace binary without a server crate (${SERVER_CRATES.slice(0, 4).join(', ')}, ...): not proposed; add it by hand if it is a service`,
    };
  const defaultRun =
    typeof cargo.package['default-run'] === 'string' ? cargo.package['default-run'] : undefined;
  const run = bins.length > 1 && !defaultRun ? `cargo run --bin ${bins[0]}` : 'cargo run';
  const main = ctx.read('src/main.rs') ?? '';
  const port = rustListenPort(main);
  return {
    runtime: 'rust',
    file: 'Cargo.toml',
    run,
    // The first `cargo run` compiles everything: give it time before the first check.
    ...(port ? { port, health: { tcp: port, start_period: '10m' } } : {}),
    ...(bins.length > 1 && !defaultRun
      ? { notes: [`has binaries ${bins.join(', ')}; proposed \`cargo run --bin ${bins[0]}\``] }
      : {}),
  };
}

function binaryNames(ctx: FolderContext, cargo: CargoToml): string[] {
  const names = new Set<string>();
  const pkgName = typeof cargo.package?.name === 'string' ? cargo.package.name : ctx.rel.split('/').pop();
  if (ctx.read('src/main.rs') !== undefined && pkgName) names.add(pkgName);
  for (const bin of cargo.bin ?? []) if (typeof bin.name === 'string') names.add(bin.name);
  for (const file of ctx.list('src/bin/')) if (file.endsWith('.rs')) names.add(file.slice(0, -3));
  return [...names];
}

/** A package is a workspace member when a Cargo.toml above it (inside the repo) has [workspace]. */
function insideWorkspace(ctx: FolderContext, cargo: CargoToml): boolean {
  if (cargo.workspace !== undefined) return true;
  const parts = ctx.rel === '.' ? [] : ctx.rel.split('/');
  for (let n = parts.length - 1; n >= 0; n--) {
    const above = n === 0 ? 'Cargo.toml' : `${parts.slice(0, n).join('/')}/Cargo.toml`;
    const text = ctx.readRepo(above);
    if (text !== undefined && /^\s*\[workspace\]/m.test(text)) return true;
  }
  return false;
}

/** `"0.0.0.0:3000"`, `([127, 0, 0, 1], 8080)`, `("127.0.0.1", 8080)`, `.unwrap_or(3000)` near PORT. */
export function rustListenPort(source: string): number | undefined {
  const m =
    /"(?:\d{1,3}(?:\.\d{1,3}){3}|localhost|\[::\]?):(\d{2,5})"/.exec(source) ??
    /\(\s*\[\s*\d+\s*,\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\]\s*,\s*(\d{2,5})\s*\)/.exec(source) ??
    /\(\s*"[\w.:]+"\s*,\s*(\d{2,5})\s*\)/.exec(source) ??
    /"PORT"[\s\S]{0,120}?unwrap_or(?:_else)?\(\s*(?:\|\|\s*)?"?(\d{2,5})/.exec(source);
  return m?.[1] ? Number(m[1]) : undefined;
}
