import type { FoundPin, ParseResult } from './types.js';

/**
 * package.json: `volta.node` (an exact pin) and `devEngines.runtime` (an
 * object or an array of them, `{ name: "node", version: "^22" }`). When both
 * are there, volta's comes first: it is the more precise pin.
 */
export function parsePackageJson(text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { pins: [], skipped: ['not valid JSON'] };
  }
  if (typeof data !== 'object' || data === null) return { pins: [], skipped: ['not a JSON object'] };
  const pkg = data as { volta?: { node?: unknown }; devEngines?: { runtime?: unknown } };
  const found: FoundPin[] = [];
  const skipped: string[] = [];
  const volta = pkg.volta?.node;
  if (typeof volta === 'string' && volta.trim())
    found.push({ runtime: 'node', spec: volta.trim(), written: `volta.node = "${volta}"` });
  const runtime = pkg.devEngines?.runtime;
  const entries = Array.isArray(runtime) ? runtime : runtime ? [runtime] : [];
  for (const entry of entries) {
    const { name, version } = (entry ?? {}) as { name?: unknown; version?: unknown };
    if (name !== 'node') {
      if (typeof name === 'string')
        skipped.push(`devEngines.runtime "${name}" is not a runtime poly manages`);
      continue;
    }
    if (typeof version === 'string' && version.trim())
      found.push({ runtime: 'node', spec: version.trim(), written: `devEngines.runtime node "${version}"` });
  }
  return { pins: found, skipped };
}
