import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { detectGoService } from './go-service.js';
import { detectJavaService } from './java-service.js';
import { detectNodeService } from './node-service.js';
import { detectPythonService } from './python-service.js';
import { detectRustService } from './rust-service.js';
import type { AdoptionNote, FolderContext, FolderService, FolderVerdict } from './types.js';
import type { WalkedFolder } from './walk.js';

/** Strongest signal first: a Cargo.toml or go.mod says more about a folder than a package.json for its tooling. */
const DETECTORS: readonly ((ctx: FolderContext) => FolderVerdict)[] = [
  detectRustService,
  detectGoService,
  detectJavaService,
  detectPythonService,
  detectNodeService,
];

/** Source files are small; a huge one is generated or data, not where a port is written. */
const MAX_READ_BYTES = 512 * 1024;

export interface DetectedFolderService extends FolderService {
  /** The folder, relative to the repo root. */
  rel: string;
}

/** Runs the language detectors on every walked folder; one service per folder at most. */
export function detectServiceFolders(
  root: string,
  folders: readonly WalkedFolder[],
): { services: DetectedFolderService[]; notes: AdoptionNote[] } {
  const services: DetectedFolderService[] = [];
  const notes: AdoptionNote[] = [];
  for (const folder of folders) {
    const ctx = folderContext(root, folder);
    const found: FolderService[] = [];
    for (const detect of DETECTORS) {
      const verdict = detect(ctx);
      if (!verdict) continue;
      if ('skip' in verdict) notes.push({ file: repoPath(folder.rel, verdict.file), message: verdict.skip });
      else found.push(verdict);
    }
    const [first, ...others] = found;
    if (!first) continue;
    services.push({ ...first, rel: folder.rel });
    for (const note of first.notes ?? [])
      notes.push({ file: repoPath(folder.rel, first.file), message: note });
    for (const other of others)
      notes.push({
        file: repoPath(folder.rel, other.file),
        message: `also looks like a ${other.runtime} service (\`${other.run}\`); proposed the ${first.runtime} one from ${first.file}`,
      });
  }
  return { services, notes };
}

/** "services/api" + "Cargo.toml" -> "services/api/Cargo.toml"; the root's files keep their bare name. */
export function repoPath(rel: string, file: string): string {
  return rel === '.' ? file : `${rel}/${file}`;
}

function folderContext(root: string, folder: WalkedFolder): FolderContext {
  const abs = folder.rel === '.' ? root : join(root, folder.rel);
  return {
    root,
    rel: folder.rel,
    files: folder.files,
    dirs: folder.dirs,
    read: (name) => readText(join(abs, name)),
    readRepo: (rel) => readText(join(root, rel)),
    repoHas: (rel) => existsSync(join(root, rel)),
    list: (sub) => entries(join(abs, sub), 'file'),
    listDirs: (sub) => entries(join(abs, sub), 'dir'),
  };
}

function readText(path: string): string | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > MAX_READ_BYTES) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function entries(dir: string, kind: 'file' | 'dir'): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => (kind === 'file' ? e.isFile() : e.isDirectory()))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
