import { parse } from 'smol-toml';
import { runtimeForTool } from './tool-names.js';
import { specFromToolVersion } from './tool-spec.js';
import type { FoundPin, ParseResult } from './types.js';

/** mise.toml `[tools]`: `node = "22"`, `python = ["3.12", "3.11"]` (first wins), `go = { version = "1.23" }`. */
export function parseMiseToml(text: string): ParseResult {
  let data: Record<string, unknown>;
  try {
    data = parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch {
    return { pins: [], skipped: ['not valid TOML'] };
  }
  const tools = data.tools;
  if (typeof tools !== 'object' || tools === null) return { pins: [], skipped: ['no [tools] table'] };
  const found: FoundPin[] = [];
  const skipped: string[] = [];
  for (const [tool, value] of Object.entries(tools as Record<string, unknown>)) {
    const runtime = runtimeForTool(tool);
    if (!runtime) {
      skipped.push(`"${tool}" is not a runtime poly manages`);
      continue;
    }
    const first = Array.isArray(value) ? value[0] : value;
    const version =
      typeof first === 'string'
        ? first
        : typeof first === 'object' && first !== null
          ? (first as { version?: unknown }).version
          : undefined;
    if (typeof version !== 'string' || !version.trim()) {
      skipped.push(`${tool}: no version string`);
      continue;
    }
    found.push({
      runtime,
      spec: specFromToolVersion(runtime, version.trim()),
      written: `${tool} = "${version}"`,
    });
  }
  return { pins: found, skipped };
}
