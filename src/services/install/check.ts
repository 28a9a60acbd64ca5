import { basename, dirname } from 'node:path';
import { findManifest } from '../../core/manifest/find.js';
import { readValidStamp } from '../../core/store/install-stamp.js';
import type { StoreLayout } from '../../core/store/layout.js';

export interface AlreadyInstalled {
  runtime: string;
  version: string;
  dir: string;
}

/**
 * The no-op `poly install`: when poly.toml and poly.lock are unchanged since the
 * last complete install (see install-stamp.ts) and every install dir is still
 * there, answer without TOML, the install engine, the network or oclif.
 * Returns undefined whenever the full path is needed.
 */
export function checkAllInstalled(cwd: string, layout: StoreLayout): AlreadyInstalled[] | undefined {
  const manifest = findManifest(cwd);
  if (!manifest) return undefined;
  const dirs = readValidStamp(dirname(manifest), layout.home);
  if (!dirs) return undefined;
  return dirs.map((dir) => ({ runtime: basename(dirname(dir)), version: basename(dir), dir }));
}
