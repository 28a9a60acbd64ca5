import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isValidPinText } from '../../versions/pin.js';
import { RUNTIME_NAMES, type RuntimeName } from '../types.js';
import { parseGoMod } from './go-mod.js';
import { parseGoVersionFile } from './go-version-file.js';
import { parseJavaVersionFile } from './java-version-file.js';
import { parseMiseToml } from './mise-toml.js';
import { parseNodeVersionFile } from './node-version-file.js';
import { parsePackageJson } from './package-json.js';
import { parsePythonVersionFile } from './python-version-file.js';
import { parseRustToolchainLegacy, parseRustToolchainToml } from './rust-toolchain.js';
import { parseSdkmanrc } from './sdkmanrc.js';
import { parseToolVersions } from './tool-versions.js';
import type { FoundPin, ParseResult } from './types.js';

/**
 * The version files poly imports, most specific first: a file made for one
 * runtime wins over a multi-tool file (mise.toml, .tool-versions) when both pin it.
 */
export const VERSION_FILES: readonly { file: string; parse: (text: string) => ParseResult }[] = [
  { file: '.nvmrc', parse: parseNodeVersionFile },
  { file: '.node-version', parse: parseNodeVersionFile },
  { file: 'package.json', parse: parsePackageJson },
  { file: '.python-version', parse: parsePythonVersionFile },
  { file: 'rust-toolchain.toml', parse: parseRustToolchainToml },
  { file: 'rust-toolchain', parse: parseRustToolchainLegacy },
  { file: 'go.mod', parse: parseGoMod },
  { file: '.go-version', parse: parseGoVersionFile },
  { file: '.java-version', parse: parseJavaVersionFile },
  { file: '.sdkmanrc', parse: parseSdkmanrc },
  { file: 'mise.toml', parse: parseMiseToml },
  { file: '.mise.toml', parse: parseMiseToml },
  { file: '.tool-versions', parse: parseToolVersions },
];

const MAX_VERSION_FILE_BYTES = 1024 * 1024;

export interface DetectedPin extends FoundPin {
  /** The file it came from, relative to the project folder. */
  file: string;
}

export interface Detection {
  /** One pin per runtime (the most specific file's), in RUNTIME_NAMES order. */
  pins: DetectedPin[];
  /** Pins for a runtime that an earlier file already pinned. */
  shadowed: DetectedPin[];
  /** Files or lines that were read but could not be used, and why. */
  skipped: { file: string; reason: string }[];
}

function specIsValid(pin: FoundPin): boolean {
  return isValidPinText(pin.runtime, pin.spec);
}

/** Reads the version files in `dir` (not its parents). Never throws for a bad file: it is reported in skipped. */
export function detectVersionFiles(dir: string): Detection {
  const chosen = new Map<RuntimeName, DetectedPin>();
  const shadowed: DetectedPin[] = [];
  const skipped: Detection['skipped'] = [];
  for (const { file, parse } of VERSION_FILES) {
    const text = readSmallText(join(dir, file));
    if (text === undefined) continue;
    if (text === null) {
      skipped.push({ file, reason: 'not a readable text file' });
      continue;
    }
    const result = parse(text);
    for (const reason of result.skipped) skipped.push({ file, reason });
    for (const pin of result.pins) {
      if (!specIsValid(pin)) {
        skipped.push({ file, reason: `"${pin.written ?? pin.spec}" is not a version spec poly understands` });
        continue;
      }
      const detected: DetectedPin = { ...pin, file };
      if (chosen.has(pin.runtime)) shadowed.push(detected);
      else chosen.set(pin.runtime, detected);
    }
  }
  const pins = RUNTIME_NAMES.flatMap((r) => {
    const pin = chosen.get(r);
    return pin ? [pin] : [];
  });
  return { pins, shadowed, skipped };
}

/** undefined: no such file; null: there, but not something to read as text. */
function readSmallText(path: string): string | undefined | null {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > MAX_VERSION_FILE_BYTES) return null;
    const bytes = readFileSync(path);
    if (bytes.includes(0)) return null;
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : null;
  }
}
