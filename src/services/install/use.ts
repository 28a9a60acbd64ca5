import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PolyError } from '../../core/errors.js';
import { dropImportComments, editManifest, type ManifestDocument } from '../../core/manifest/edit.js';
import { findManifest } from '../../core/manifest/find.js';
import { VERSION_FILES } from '../../core/manifest/import/detect.js';
import type { RuntimeName } from '../../core/manifest/types.js';
import {
  syncVersionFiles,
  type VersionFileDrift,
  versionFileDrift,
} from '../../core/manifest/version-file-drift.js';
import { writeFileAtomic } from '../../core/store/atomic-write.js';
import { MANIFEST_FILE, storeLayout } from '../../core/store/layout.js';
import { parseRuntimeArgument, splitPin } from '../../core/versions/pin.js';

export interface PinRequest {
  runtime: RuntimeName;
  /** The spec as it goes into poly.toml: "22", "temurin-21". */
  spec: string;
}

export interface PinChange extends PinRequest {
  /** What the manifest said before, as written (a string or a table), if anything. */
  previous?: unknown;
}

export interface PinResult {
  file: string;
  global: boolean;
  /** True when the global manifest did not exist and was created. */
  created: boolean;
  pins: PinChange[];
  /** Version files of the project that still disagree with the new pins (see version-file-drift.ts). */
  versionFiles: VersionFileDrift[];
  /** Version files rewritten to the new pins (with sync). */
  synced: string[];
}

/** "node@22", "java@temurin-21", "node" (the latest) -> a checked pin request. Usage errors exit 2. */
export function parsePinArgument(arg: string): PinRequest {
  const { runtime, written } = parseRuntimeArgument(arg);
  return { runtime, spec: written };
}

/**
 * Writes pins into the nearest poly.toml (or the global one), format-preserving:
 * only the pinned lines change. Installs nothing: installing is the caller's
 * next step.
 */
export function pinRuntimes(options: {
  cwd: string;
  pins: PinRequest[];
  global?: boolean;
  /** Rewrite the project's one-version files (.nvmrc, .python-version, …) to the new pins. */
  sync?: boolean;
  /** Whose POLY_CONFIG_DIR holds the global pins. */
  env: NodeJS.ProcessEnv;
}): PinResult {
  const global = options.global ?? false;
  let file: string | undefined;
  let created = false;
  if (global) {
    file = storeLayout(options.env).globalManifest;
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomic(file, "# poly's global pins, used outside any project (written by `poly use -g`).\n");
      created = true;
    }
  } else {
    file = findManifest(options.cwd);
    if (!file)
      throw new PolyError(
        'NO_MANIFEST',
        `no ${MANIFEST_FILE} in ${resolve(options.cwd)} or any parent folder`,
        {
          hint: 'Run `poly init` to create one, or `poly use -g` to pin outside any project.',
        },
      );
  }
  const changes: PinChange[] = [];
  editManifest(
    file,
    (doc) => {
      for (const pin of options.pins) changes.push(applyPin(doc, pin));
    },
    // "node = "22"  # from .nvmrc" (written by poly init) is no longer true once the pin moves.
    (text) =>
      dropImportComments(
        text,
        changes.filter((c) => typeof c.previous === 'string' && c.previous !== c.spec).map((c) => c.runtime),
        VERSION_FILES.map((v) => v.file),
      ),
  );
  const drift = global ? [] : versionFileDrift(dirname(file), pinnedSpecs(changes));
  const synced = options.sync ? syncVersionFiles(dirname(file), drift) : [];
  return {
    file,
    global,
    created,
    pins: changes,
    versionFiles: drift.filter((d) => !synced.includes(d.file)),
    synced,
  };
}

function pinnedSpecs(changes: PinChange[]): Partial<Record<RuntimeName, string>> {
  return Object.fromEntries(changes.map((c) => [c.runtime, c.spec]));
}

function applyPin(doc: ManifestDocument, pin: PinRequest): PinChange {
  if (typeof doc.runtimes !== 'object' || doc.runtimes === null) doc.runtimes = {};
  const runtimes = doc.runtimes as Record<string, unknown>;
  const previous = runtimes[pin.runtime];
  if (typeof previous === 'object' && previous !== null && !Array.isArray(previous)) {
    // Keep the table form and its other keys (source, venv); change only the version.
    const table = previous as Record<string, unknown>;
    const parts = splitPin(pin.runtime, pin.spec);
    table.version = parts.spec;
    if (parts.distribution) table.distribution = parts.distribution;
    if (parts.source) table.source = parts.source;
    return { ...pin, previous: { ...table } };
  }
  runtimes[pin.runtime] = pin.spec;
  return previous === undefined ? { ...pin } : { ...pin, previous };
}
