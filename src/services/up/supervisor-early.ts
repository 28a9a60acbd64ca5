import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PolyContext } from '../../core/context.js';
import { findManifest } from '../../core/manifest/find.js';
import { projectLayout } from '../../core/store/layout.js';
import { type GatedSupervisor, spawnGatedSupervisor } from './supervisor-launch.js';

/** A gated `poly supervise` started for the project whose poly.toml is at `root`. */
export interface EarlySupervisor {
  root: string;
  gated: GatedSupervisor;
}

/**
 * `poly up -d`'s supervisor, spawned before the service layer loads: the
 * supervisor's own Node start and module loading are the longest part of a
 * warm `up -d`, and they now overlap with this process loading, locking and
 * checking. It waits for go() like any gated supervisor; startDetached
 * cancels it when it is not needed (or the project is not where it looked).
 * Undefined when no poly.toml is found: startDetached then reports that.
 */
export function spawnEarlySupervisor(
  cwd: string,
  options: { services: string[]; allContainers?: boolean; ctx: PolyContext },
): EarlySupervisor | undefined {
  const file = findManifest(cwd);
  if (!file) return undefined;
  const root = dirname(file);
  const layout = projectLayout(root);
  mkdirSync(layout.state, { recursive: true });
  return { root, gated: spawnGatedSupervisor({ root }, layout, options) };
}
