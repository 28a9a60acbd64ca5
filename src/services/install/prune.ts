import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PolyContext } from '../../core/context.js';
import { errnoCode } from '../../core/errno.js';
import { isPolyError } from '../../core/errors.js';
import { readManifestFile } from '../../core/manifest/load.js';
import { RUNTIME_NAMES, type RuntimeName } from '../../core/manifest/types.js';
import { findInstalled, listInstalled } from '../../core/runtimes/installed.js';
import { cleanLeftovers } from '../../core/runtimes/leftovers.js';
import { installDir, LOCK_FILE } from '../../core/store/layout.js';
import { readLockfile } from '../../core/store/lockfile.js';
import { forgetProject, listSeenProjects } from '../../core/store/projects.js';
import { removeInstall } from './toolchains.js';

export interface PruneResult {
  dryRun: boolean;
  removed: { runtime: RuntimeName; version: string; dir: string }[];
  kept: { runtime: RuntimeName; version: string; usedBy: string[] }[];
  /** Projects poly had seen whose poly.toml is gone (forgotten unless dry run). */
  forgotten: string[];
}

/**
 * `poly prune`: removes installed versions that no project poly has seen still uses
 * (its poly.lock version, else the newest installed match of its spec).
 */
export function prune(opts: { dryRun?: boolean; ctx: PolyContext }): PruneResult {
  const layout = opts.ctx.layout;
  const dryRun = !!opts.dryRun;
  const usedBy = new Map<string, string[]>();
  const forgotten: string[] = [];
  for (const project of listSeenProjects(layout)) {
    if (!existsSync(project.manifest)) {
      forgotten.push(project.root);
      if (!dryRun) forgetProject(layout, project.root);
      continue;
    }
    let manifest: ReturnType<typeof readManifestFile>;
    try {
      manifest = readManifestFile(project.manifest);
    } catch (err) {
      // A broken (or unreadable) poly.toml still pins what its lock says; keep everything its lock names.
      if (!isPolyError(err) && !errnoCode(err)) throw err;
      const lock = readLockfile(join(project.root, LOCK_FILE));
      for (const [runtime, entry] of Object.entries(lock?.runtimes ?? {})) {
        if (entry) mark(usedBy, runtime, entry.version, project.root);
      }
      continue;
    }
    const lock = readLockfile(join(manifest.root, LOCK_FILE));
    for (const pin of Object.values(manifest.runtimes)) {
      if (!pin || pin.spec === 'system') continue;
      const found = findInstalled(layout, pin, lock?.runtimes[pin.runtime]?.version);
      if (found) mark(usedBy, pin.runtime, found.version, project.root);
    }
  }
  const removed: PruneResult['removed'] = [];
  const kept: PruneResult['kept'] = [];
  for (const runtime of RUNTIME_NAMES) {
    for (const version of listInstalled(layout, runtime)) {
      const users = usedBy.get(`${runtime}@${version}`);
      if (users) {
        kept.push({ runtime, version, usedBy: users });
        continue;
      }
      const dir = installDir(layout, runtime, version);
      if (!dryRun) removeInstall(layout.tmp, dir);
      removed.push({ runtime, version, dir });
    }
  }
  if (!dryRun) cleanLeftovers(layout);
  return { dryRun, removed, kept, forgotten };
}

function mark(usedBy: Map<string, string[]>, runtime: string, version: string, root: string): void {
  const key = `${runtime}@${version}`;
  usedBy.set(key, [...(usedBy.get(key) ?? []), root]);
}
