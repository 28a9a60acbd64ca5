import { existsSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { manifestReadsEnvFile } from '../../core/adopt/env-file-support.js';
import { type Adoption, planAdoption } from '../../core/adopt/plan.js';
import { resolvePortClashes } from '../../core/adopt/port-clashes.js';
import { renderManifest } from '../../core/adopt/render-manifest.js';
import type {
  AdoptionNote,
  ProposedEnv,
  ProposedPin,
  ProposedService,
  ProposedTask,
} from '../../core/adopt/types.js';
import { PolyError } from '../../core/errors.js';
import { parseManifest, readManifestFile } from '../../core/manifest/load.js';
import type { Manifest, RuntimeName } from '../../core/manifest/types.js';
import { MANIFEST_FILE } from '../../core/store/layout.js';
import { mergeIntoManifest } from './init-merge.js';

export interface InitOptions {
  name?: string;
  /** Add to an existing poly.toml instead of refusing it. */
  merge?: boolean;
}

export interface InitPlan {
  dir: string;
  file: string;
  name: string;
  adoption: Adoption;
  /** The poly.toml being merged into (--merge on a folder that has one). */
  existing?: Manifest;
}

/** What the user keeps of the proposal: runtimes and services by name (default: all). */
export interface InitSelection {
  runtimes: readonly RuntimeName[];
  services: readonly string[];
}

export interface InitResult {
  file: string;
  name: string;
  /** false for --dry-run. */
  written: boolean;
  merged: boolean;
  /** The poly.toml text written (or that would be, for --dry-run). */
  manifest: string;
  /** The pins written, each with the file it came from. */
  pinned: ProposedPin[];
  services: ProposedService[];
  /** The [env] variables written (a mise.toml's), and the file they came from. */
  env?: ProposedEnv;
  /** The [tasks] written (a mise.toml's). */
  tasks: ProposedTask[];
  /** Proposed but not chosen, or already in the poly.toml merged into. */
  declined: { runtimes: ProposedPin[]; services: ProposedService[] };
  /** What the report says: differing pins, compose features done another way, files skipped. */
  notes: AdoptionNote[];
  /** The compose file and Procfile read. */
  imported: string[];
}

/** Reads the repo; refuses a folder that already has poly.toml unless merging into it. */
export async function planInit(dir: string, options: InitOptions = {}): Promise<InitPlan> {
  const root = resolve(dir);
  const file = join(root, MANIFEST_FILE);
  const exists = existsSync(file);
  if (exists && !options.merge) throw alreadyThere(file);
  const existing = exists ? readManifestFile(file) : undefined;
  const name = existing?.project.name ?? (options.name || basename(root) || 'project');
  const adoption = await planAdoption(root, name);
  return { dir: root, file, name, adoption, ...(existing ? { existing } : {}) };
}

export function selectEverything(plan: InitPlan): InitSelection {
  return {
    runtimes: plan.adoption.pins.map((p) => p.runtime),
    services: plan.adoption.services.map((s) => s.name),
  };
}

/** The chosen pins and services, consistent with each other (no runtime or dependency left dangling). */
function applySelection(plan: InitPlan, selection: InitSelection) {
  const notes: AdoptionNote[] = [...plan.adoption.notes];
  const existing = plan.existing;
  const pins = plan.adoption.pins.filter(
    (p) => selection.runtimes.includes(p.runtime) && !existing?.runtimes[p.runtime],
  );
  const pinned = new Set<string>([...pins.map((p) => p.runtime), ...Object.keys(existing?.runtimes ?? {})]);
  const kept = plan.adoption.services.filter(
    (s) => selection.services.includes(s.name) && !existing?.services[s.name],
  );
  const names = new Set([...kept.map((s) => s.name), ...Object.keys(existing?.services ?? {})]);
  const takenPorts = new Map(
    Object.entries(existing?.services ?? {}).flatMap(([name, e]) =>
      typeof e.port === 'number' ? [[e.port, name] as const] : [],
    ),
  );
  const clashes = resolvePortClashes(kept, takenPorts);
  notes.push(...clashes.notes);
  const services = clashes.services.map((s) => {
    const out: ProposedService = { ...s };
    if (out.runtime && !pinned.has(out.runtime)) {
      notes.push({
        file: s.source,
        message: `${s.name}: ${out.runtime} is not pinned, so runtime was left out (it runs with the ${out.runtime} on PATH)`,
      });
      delete out.runtime;
    }
    const deps = out.depends_on?.filter((d) => names.has(d));
    const dropped = out.depends_on?.filter((d) => !names.has(d)) ?? [];
    if (dropped.length)
      notes.push({
        file: s.source,
        message: `${s.name}: depends_on ${dropped.join(', ')} left out (not in poly.toml)`,
      });
    if (deps?.length) out.depends_on = deps;
    else delete out.depends_on;
    return out;
  });
  for (const p of plan.adoption.pins)
    if (existing?.runtimes[p.runtime])
      notes.push({
        file: 'poly.toml',
        message: `already pins ${p.runtime} (${existing.runtimes[p.runtime]?.spec}); ${p.spec} from ${p.source} not added`,
      });
  const envValues = Object.fromEntries(
    Object.entries(plan.adoption.env?.values ?? {}).filter(([k]) => {
      const there = existing?.env[k] !== undefined;
      if (there)
        notes.push({
          file: 'poly.toml',
          message: `already sets ${k} in [env]; the one from ${plan.adoption.env?.source} was not added`,
        });
      return !there;
    }),
  );
  const env =
    plan.adoption.env && Object.keys(envValues).length
      ? { values: envValues, source: plan.adoption.env.source }
      : undefined;
  const tasks = plan.adoption.tasks.filter((t) => {
    const there = existing?.tasks?.[t.name] !== undefined;
    if (there)
      notes.push({
        file: 'poly.toml',
        message: `already has [tasks.${t.name}]; the one from ${t.source} was not added`,
      });
    return !there;
  });
  for (const s of plan.adoption.services)
    if (existing?.services[s.name])
      notes.push({
        file: 'poly.toml',
        message: `already has [services.${s.name}]; the one from ${s.source} was not added`,
      });
  return {
    pins,
    services,
    ...(env ? { env } : {}),
    tasks,
    notes,
    declined: {
      runtimes: plan.adoption.pins.filter((p) => !pins.includes(p)),
      services: plan.adoption.services.filter((s) => !kept.includes(s)),
    },
  };
}

/**
 * Writes poly.toml (never over an existing one; --merge edits it in place,
 * format-preserving) or, for a dry run, only says what it would write. The
 * text is validated by the real manifest validator first either way.
 */
export function writeInit(
  plan: InitPlan,
  selection: InitSelection,
  options: { dryRun?: boolean } = {},
): InitResult {
  const chosen = applySelection(plan, selection);
  const renderOptions = { envFile: (value: string) => manifestReadsEnvFile(plan.file, value) };
  const dryRun = options.dryRun === true;
  let manifest: string;
  if (plan.existing) {
    manifest = mergeIntoManifest(plan.file, chosen, renderOptions, dryRun);
  } else {
    manifest = renderManifest(plan.name, chosen.pins, chosen.services, renderOptions, chosen);
    parseManifest(manifest, plan.file); // what init writes must load: fail here, not at the next command
    if (!dryRun) writeNew(plan.file, manifest);
  }
  return {
    file: plan.file,
    name: plan.name,
    written: !dryRun,
    merged: plan.existing !== undefined,
    manifest,
    pinned: chosen.pins,
    services: chosen.services,
    ...(chosen.env ? { env: chosen.env } : {}),
    tasks: chosen.tasks,
    declined: chosen.declined,
    notes: chosen.notes,
    imported: plan.adoption.imported,
  };
}

function writeNew(file: string, text: string): void {
  try {
    writeFileSync(file, text, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyThere(file);
    throw new PolyError('INIT_WRITE', `cannot write ${file}: ${(err as Error).message}`, {
      hint: 'Check that you may write to this folder.',
    });
  }
}

function alreadyThere(file: string): PolyError {
  return new PolyError('MANIFEST_EXISTS', `${file} already exists; poly init does not overwrite it`, {
    hint: 'Add what the repo has with `poly init --merge`, change pins with `poly use <runtime>@<version>`, or delete poly.toml to start over.',
  });
}
