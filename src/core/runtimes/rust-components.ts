import { mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expectErrno, NOT_THERE } from '../errno.js';
import { PolyError } from '../errors.js';

/**
 * Rust's whole-toolchain tarball is an installer: a `components` list and one
 * folder per component whose `manifest.in` names its files (`file:bin/rustc`)
 * and folders (`dir:share/doc/rust`). Doing what install.sh does, by renames:
 * every listed path moves from `<unpacked>/<component>/<path>` to `<target>/<path>`.
 * Documentation components are skipped: large, and not needed to build.
 */
export const SKIPPED_RUST_COMPONENTS = /^rust-docs/;

export function readComponents(unpacked: string): string[] {
  let list: string;
  try {
    list = readFileSync(join(unpacked, 'components'), 'utf8');
  } catch (err) {
    expectErrno(err, ...NOT_THERE, 'EISDIR');
    throw new PolyError('RUST_ARCHIVE_INVALID', 'the Rust archive has no `components` file', {
      hint: 'Expected the official rust-<version>-<triple>.tar.gz installer layout.',
    });
  }
  return list
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

export function parseManifestIn(content: string): string[] {
  const paths: string[] = [];
  for (const line of content.split(/\r?\n/)) {
    const m = /^(file|dir):(.+)$/.exec(line.trim());
    if (!m?.[2]) continue;
    const p = m[2];
    if (p.startsWith('/') || p.split('/').includes('..')) {
      throw new PolyError('ARCHIVE_UNSAFE', `refusing Rust component path "${p}" (outside the toolchain)`);
    }
    paths.push(p);
  }
  return paths;
}

/** Moves each component's files into `target`; returns the components installed. */
export function assembleRustToolchain(unpacked: string, target: string): string[] {
  const installed: string[] = [];
  mkdirSync(target, { recursive: true });
  for (const component of readComponents(unpacked)) {
    if (SKIPPED_RUST_COMPONENTS.test(component)) continue;
    if (component.includes('/') || component.startsWith('.')) continue;
    const dir = join(unpacked, component);
    const paths = parseManifestIn(readFileSync(join(dir, 'manifest.in'), 'utf8'));
    for (const p of paths) {
      const to = join(target, p);
      mkdirSync(dirname(to), { recursive: true });
      moveInto(join(dir, p), to);
    }
    installed.push(component);
  }
  return installed;
}

/** rename, merging into a folder another component already created. */
function moveInto(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || !statSync(from).isDirectory()) throw err;
    for (const name of readdirSync(from)) moveInto(join(from, name), join(to, name));
  }
}
