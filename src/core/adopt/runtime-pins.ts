import { join } from 'node:path';
import { detectVersionFiles } from '../manifest/import/detect.js';
import { isValidSpec } from '../manifest/spec-syntax.js';
import { RUNTIME_NAMES, type RuntimeName } from '../manifest/types.js';
import { repoPath } from './service-folders.js';
import type { AdoptionNote, ProposedPin } from './types.js';
import type { WalkedFolder } from './walk.js';

/** What poly pins for a runtime a service needs when nothing in the repo says which version. */
export const DEFAULT_SPECS: Record<RuntimeName, string> = {
  node: 'lts',
  python: 'latest',
  go: 'latest',
  java: 'lts',
  rust: 'stable',
};

interface Candidate extends ProposedPin {
  /** The folder the pin was found in. */
  rel: string;
}

/** Every version-file pin of every walked folder (each folder's most specific file per runtime). */
export function collectFolderPins(
  root: string,
  folders: readonly WalkedFolder[],
): { candidates: Candidate[]; notes: AdoptionNote[] } {
  const candidates: Candidate[] = [];
  const notes: AdoptionNote[] = [];
  for (const folder of folders) {
    const detection = detectVersionFiles(folder.rel === '.' ? root : join(root, folder.rel));
    for (const pin of detection.pins)
      candidates.push({
        runtime: pin.runtime,
        spec: pin.spec,
        source: repoPath(folder.rel, pin.file),
        rel: folder.rel,
        ...(pin.written && pin.written !== pin.spec ? { written: pin.written } : {}),
      });
    for (const pin of detection.shadowed)
      notes.push({
        file: repoPath(folder.rel, pin.file),
        message: `${pin.runtime} ${pin.spec} ignored: a more specific file in ${folder.rel === '.' ? 'the top folder' : folder.rel} already pins ${pin.runtime}`,
      });
    for (const skip of detection.skipped)
      notes.push({ file: repoPath(folder.rel, skip.file), message: skip.reason });
  }
  return { candidates, notes };
}

/**
 * One pin per runtime, the most common spec (a tie goes to the one found
 * first, the top folder before its sub-folders). poly has one pin per runtime
 * per project, so every folder that pins something else is named in a note.
 */
export function chooseProjectPins(candidates: readonly Candidate[]): {
  pins: ProposedPin[];
  notes: AdoptionNote[];
} {
  const pins: ProposedPin[] = [];
  const notes: AdoptionNote[] = [];
  for (const runtime of RUNTIME_NAMES) {
    const mine = candidates.filter((c) => c.runtime === runtime);
    if (mine.length === 0) continue;
    const counts = new Map<string, number>();
    for (const c of mine) counts.set(c.spec, (counts.get(c.spec) ?? 0) + 1);
    const best = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    const winner = mine.find((c) => c.spec === best) as Candidate;
    const { rel: _rel, ...pin } = winner;
    pins.push(pin);
    for (const other of mine.filter((c) => c.spec !== best))
      notes.push({
        file: other.source,
        message: `pins ${runtime} ${other.spec}, but a project has one ${runtime} pin: poly.toml pins ${best} (from ${winner.source}${(counts.get(best) ?? 1) > 1 ? ` and ${(counts.get(best) ?? 1) - 1} more` : ''}); ${other.rel === '.' ? 'the top folder' : other.rel} will run ${runtime} ${best}`,
      });
  }
  return { pins, notes };
}

/** A pin for a runtime that services need but no version file pins: implied by the service's config, else the default. */
export function pinForUnpinned(
  runtime: RuntimeName,
  implied: readonly { spec: string; written: string; file: string }[],
): { pin: ProposedPin; note: AdoptionNote } {
  const usable = implied.find((i) =>
    isValidSpec(runtime, runtime === 'java' ? i.spec.replace(/^[a-z]+-/, '') : i.spec),
  );
  if (usable)
    return {
      pin: { runtime, spec: usable.spec, source: usable.file, written: usable.written },
      note: {
        file: usable.file,
        message: `no version file pins ${runtime}; pinned ${usable.spec} from ${usable.written}`,
      },
    };
  const spec = DEFAULT_SPECS[runtime];
  return {
    pin: { runtime, spec, source: `default (no version file pins ${runtime})` },
    note: {
      file: 'poly.toml',
      message: `no file in the repo pins ${runtime}; pinned "${spec}": pin an exact version with poly use ${runtime}@<version>`,
    },
  };
}
