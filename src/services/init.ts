import { existsSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { PolyError } from '../core/errors.js';
import { type DetectedPin, type Detection, detectVersionFiles } from '../core/manifest/import/detect.js';
import { parseManifest } from '../core/manifest/load.js';
import type { RuntimeName } from '../core/manifest/types.js';
import { MANIFEST_FILE } from '../core/store/layout.js';

export interface InitPlan {
  dir: string;
  file: string;
  name: string;
  detection: Detection;
}

export interface InitResult {
  file: string;
  name: string;
  /** The pins written, each with the file it came from. */
  pinned: DetectedPin[];
  /** Found but not chosen (deselected in the picker). */
  declined: DetectedPin[];
  shadowed: DetectedPin[];
  skipped: Detection['skipped'];
}

/** Reads the folder's version files; refuses a folder that already has poly.toml. */
export function planInit(dir: string, options: { name?: string } = {}): InitPlan {
  const root = resolve(dir);
  const file = join(root, MANIFEST_FILE);
  if (existsSync(file)) throw alreadyThere(file);
  return {
    dir: root,
    file,
    name: options.name || basename(root) || 'project',
    detection: detectVersionFiles(root),
  };
}

/** The poly.toml text: each pin commented with the file it came from. */
export function renderInitManifest(plan: InitPlan, selected: readonly RuntimeName[]): string {
  const chosen = plan.detection.pins.filter((p) => selected.includes(p.runtime));
  const lines = [
    '# poly.toml: the toolchains and services of this project.',
    "# Change a pin with `poly use node@22`; every key is described in poly's project.example.toml.",
    '# Services are [services.<name>] tables, started by `poly up` (`poly new` writes one), e.g.:',
    '#   [services.api]',
    '#   path = "services/api"',
    '#   run = "npm start"',
    '#   port = 3000',
    '#   health = "/health"',
    '',
    '[project]',
    `name = ${JSON.stringify(plan.name)}`,
    '',
    '[runtimes]',
  ];
  const assignments = chosen.map((p) => `${p.runtime} = ${JSON.stringify(p.spec)}`);
  const width = Math.max(0, ...assignments.map((a) => a.length));
  chosen.forEach((p, i) => {
    const from = p.written && p.written !== p.spec ? `${p.file} (${p.written})` : p.file;
    lines.push(`${(assignments[i] ?? '').padEnd(width)}  # from ${from}`);
  });
  if (chosen.length === 0)
    lines.push(
      '# No version files found. Pin runtimes with `poly use <runtime>@<version>`, e.g.:',
      '# node = "22"',
    );
  // Nothing after the pins: `poly use` and `poly new` append to [runtimes], and their
  // lines must not land below an unrelated comment.
  return `${lines.join('\n')}\n`;
}

/** Writes poly.toml (never over an existing one) with the selected runtimes. */
export function writeInitManifest(plan: InitPlan, selected: readonly RuntimeName[]): InitResult {
  const text = renderInitManifest(plan, selected);
  parseManifest(text, plan.file); // what init writes must load: fail here, not at the next command
  try {
    writeFileSync(plan.file, text, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyThere(plan.file);
    throw new PolyError('INIT_WRITE', `cannot write ${plan.file}: ${(err as Error).message}`, {
      hint: 'Check that you may write to this folder.',
    });
  }
  const { pins, shadowed, skipped } = plan.detection;
  return {
    file: plan.file,
    name: plan.name,
    pinned: pins.filter((p) => selected.includes(p.runtime)),
    declined: pins.filter((p) => !selected.includes(p.runtime)),
    shadowed,
    skipped,
  };
}

function alreadyThere(file: string): PolyError {
  return new PolyError('MANIFEST_EXISTS', `${file} already exists; poly init does not overwrite it`, {
    hint: 'Change pins with `poly use <runtime>@<version>`, or delete poly.toml to start over.',
  });
}
