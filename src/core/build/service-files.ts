import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';

/**
 * What of a service's folder decides how its image is built: which
 * dependency manifests exist (they are copied and installed before the
 * source, so a code-only change reuses that layer) and, for Rust, the binary's name.
 */
export interface ServiceFiles {
  present: Set<string>;
  /** Rust: the binary cargo builds ([[bin]] name, else the package name). */
  cargoBin?: string;
}

const WATCHED = [
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'requirements.txt',
  'pyproject.toml',
  'go.mod',
  'go.sum',
  'Cargo.toml',
  'Cargo.lock',
  'src/main.rs',
  'src/lib.rs',
  'pom.xml',
  'mvnw',
  '.mvn',
];

export function readServiceFiles(dir: string): ServiceFiles {
  const present = new Set(WATCHED.filter((f) => existsSync(join(dir, f))));
  const files: ServiceFiles = { present };
  if (present.has('Cargo.toml')) {
    const bin = cargoBinName(readFileSync(join(dir, 'Cargo.toml'), 'utf8'));
    if (bin) files.cargoBin = bin;
  }
  return files;
}

/** The binary `cargo build` makes: the first [[bin]]'s name, else [package] name. Pure. */
export function cargoBinName(cargoToml: string): string | undefined {
  let doc: Record<string, unknown>;
  try {
    doc = parse(cargoToml) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const bins = doc.bin as { name?: unknown }[] | undefined;
  const first = Array.isArray(bins) ? bins.find((b) => typeof b?.name === 'string') : undefined;
  if (first) return first.name as string;
  const name = (doc.package as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}
