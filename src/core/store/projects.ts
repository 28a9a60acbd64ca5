import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expectErrno, NOT_THERE } from '../errno.js';
import { writeFileAtomic } from './atomic-write.js';
import type { StoreLayout } from './layout.js';

/** Projects poly has installed for, so `poly prune` knows which versions are still pinned somewhere. */
export interface SeenProject {
  root: string;
  manifest: string;
  seenAt: string;
}

function entryFile(layout: StoreLayout, root: string): string {
  return join(layout.projects, `${createHash('sha256').update(root).digest('hex').slice(0, 16)}.json`);
}

export function recordProject(layout: StoreLayout, root: string, manifest: string): void {
  const file = entryFile(layout, root);
  try {
    const seen = JSON.parse(readFileSync(file, 'utf8')) as SeenProject;
    // Once a day is enough; keeps `poly install` from writing on every run.
    if (seen.manifest === manifest && Date.now() - Date.parse(seen.seenAt) < 86_400_000) return;
  } catch (err) {
    // First time, or a torn entry: write it again.
    if (!(err instanceof SyntaxError)) expectErrno(err, ...NOT_THERE);
  }
  writeFileAtomic(
    file,
    JSON.stringify({ root, manifest, seenAt: new Date().toISOString() } satisfies SeenProject),
  );
}

export function listSeenProjects(layout: StoreLayout): SeenProject[] {
  let names: string[];
  try {
    names = readdirSync(layout.projects);
  } catch (err) {
    expectErrno(err, ...NOT_THERE);
    return [];
  }
  const out: SeenProject[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      out.push(JSON.parse(readFileSync(join(layout.projects, name), 'utf8')) as SeenProject);
    } catch (err) {
      // A torn or foreign file, or one removed since the listing: ignore.
      if (!(err instanceof SyntaxError)) expectErrno(err, ...NOT_THERE, 'EISDIR');
    }
  }
  return out.sort((a, b) => a.root.localeCompare(b.root));
}

export function forgetProject(layout: StoreLayout, root: string): void {
  rmSync(entryFile(layout, root), { force: true });
}
