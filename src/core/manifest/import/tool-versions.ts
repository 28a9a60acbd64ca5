import { runtimeForTool } from './tool-names.js';
import { specFromToolVersion } from './tool-spec.js';
import type { FoundPin, ParseResult } from './types.js';

/** asdf's .tool-versions: `nodejs 22.11.0`, `python 3.12.7 3.11.9` (the first is the pin). */
export function parseToolVersions(text: string): ParseResult {
  const found: FoundPin[] = [];
  const skipped: string[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const [tool, version] = line.split(/\s+/);
    if (!tool || !version) continue;
    const runtime = runtimeForTool(tool);
    if (!runtime) {
      skipped.push(`"${tool}" is not a runtime poly manages`);
      continue;
    }
    if (/^(ref|path):/.test(version)) {
      skipped.push(`${tool} ${version}: a git ref or local path cannot be pinned`);
      continue;
    }
    found.push({ runtime, spec: specFromToolVersion(runtime, version), written: `${tool} ${version}` });
  }
  return { pins: found, skipped };
}
