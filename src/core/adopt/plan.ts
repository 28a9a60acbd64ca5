import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeName } from '../manifest/types.js';
import { composeFileIn, parseComposeText } from './compose-file.js';
import { importCompose } from './compose-import.js';
import { parseMiseProject } from './mise-project.js';
import { serviceNameOf, uniqueName } from './names.js';
import { parseProcfile } from './procfile.js';
import { chooseProjectPins, collectFolderPins, pinForUnpinned } from './runtime-pins.js';
import { type DetectedFolderService, detectServiceFolders, repoPath } from './service-folders.js';
import type { AdoptionNote, ProposedEnv, ProposedPin, ProposedService, ProposedTask } from './types.js';
import { walkRepo } from './walk.js';

/** Everything `poly init` proposes for a repo: one pin per runtime, the services, and what the report says. */
export interface Adoption {
  pins: ProposedPin[];
  services: ProposedService[];
  /** `[env]` of the top folder's mise.toml, and the file it came from. */
  env: ProposedEnv | undefined;
  /** `[tasks]` of the top folder's mise.toml. */
  tasks: ProposedTask[];
  notes: AdoptionNote[];
  /** The compose file and Procfile that were read, if any. */
  imported: string[];
}

/**
 * Reads the repo the way a person new to it would: version files and service
 * folders everywhere (to depth 4), then the compose file and the Procfile at
 * the top. Throws a PolyError (file:line) when one of them is broken.
 */
export async function planAdoption(root: string, projectName: string): Promise<Adoption> {
  const folders = walkRepo(root);
  const top = folders[0]?.files ?? new Set<string>();
  const detected = detectServiceFolders(root, folders);
  const found = collectFolderPins(root, folders);
  const chosen = chooseProjectPins(found.candidates);
  const notes: AdoptionNote[] = [...detected.notes, ...found.notes, ...chosen.notes];
  const imported: string[] = [];
  const byFolder = new Map(detected.services.map((s) => [s.rel, s]));

  const composeServices: ProposedService[] = [];
  const composeFile = composeFileIn(top);
  if (composeFile) {
    const text = readFileSync(join(root, composeFile), 'utf8');
    const data = await parseComposeText(text, composeFile);
    const result = importCompose(data, text, composeFile, byFolder);
    composeServices.push(...result.services);
    notes.push(...result.notes);
    for (const rel of result.nativeFolders) byFolder.delete(rel);
    imported.push(composeFile);
  }
  const procServices: ProposedService[] = [];
  if (top.has('Procfile')) {
    const procfile = parseProcfile(readFileSync(join(root, 'Procfile'), 'utf8'));
    procServices.push(...procfile.services);
    notes.push(...procfile.notes);
    imported.push('Procfile');
    const rootService = byFolder.get('.');
    if (rootService) {
      byFolder.delete('.');
      notes.push({
        file: repoPath('.', rootService.file),
        message: `the Procfile says how this folder runs; \`${rootService.run}\` was not proposed`,
      });
    }
  }

  const mise = ['mise.toml', '.mise.toml'].find((f) => top.has(f));
  const fromMise = mise
    ? parseMiseProject(readFileSync(join(root, mise), 'utf8'), mise)
    : { env: {}, tasks: [], notes: [] };
  notes.push(...fromMise.notes);
  const env = Object.keys(fromMise.env).length && mise ? { values: fromMise.env, source: mise } : undefined;

  const services = nameServices(composeServices, procServices, [...byFolder.values()], projectName);
  const pins = [...chosen.pins];
  for (const runtime of neededRuntimes(services)) {
    if (pins.some((p) => p.runtime === runtime)) continue;
    const implied = detected.services
      .filter((s) => s.runtime === runtime && s.impliedPin)
      .map((s) => {
        const i = s.impliedPin as NonNullable<DetectedFolderService['impliedPin']>;
        return { ...i, file: repoPath(s.rel, i.file) };
      });
    const { pin, note } = pinForUnpinned(runtime, implied);
    pins.push(pin);
    notes.push(note);
  }
  return { pins, services, env, tasks: fromMise.tasks, notes, imported };
}

/** Compose names first (depends_on refers to them), then the Procfile's, then folders by their own name. */
function nameServices(
  compose: readonly ProposedService[],
  procfile: readonly ProposedService[],
  folders: readonly DetectedFolderService[],
  projectName: string,
): ProposedService[] {
  const taken = new Set<string>();
  const out: ProposedService[] = [];
  const add = (s: ProposedService) => {
    const name = uniqueName(s.name, taken);
    taken.add(name);
    out.push({ ...s, name });
  };
  compose.forEach(add);
  procfile.forEach(add);
  for (const f of folders) {
    const base = f.rel === '.' ? projectName : (f.rel.split('/').pop() ?? f.rel);
    add({
      name: serviceNameOf(base),
      source: repoPath(f.rel, f.file),
      ...(f.rel === '.' ? {} : { path: f.rel }),
      runtime: f.runtime,
      run: f.run,
      ...(f.port !== undefined ? { port: f.port } : {}),
      ...(f.health !== undefined ? { health: f.health } : {}),
    });
  }
  return out;
}

function neededRuntimes(services: readonly ProposedService[]): RuntimeName[] {
  return [...new Set(services.flatMap((s) => (s.runtime ? [s.runtime] : [])))];
}
