import { splitPin } from './pin.js';

/**
 * Version specs as users write them in poly.toml or on the command line,
 * parsed into one small union. Pure: no I/O, no knowledge of what exists.
 */
export type VersionSpec =
  | { kind: 'system' }
  | { kind: 'latest' }
  /** Node `lts`, `lts/*`, `lts/iron`; Java `lts`. */
  | { kind: 'lts'; codename?: string }
  /** Rust release channels. */
  | { kind: 'channel'; channel: 'stable' | 'beta' | 'nightly' }
  /** Digits and dots: "22.11.0" (exact) or "22", "1.22" (prefix). Resolution treats both alike. */
  | { kind: 'version'; version: string; exact: boolean }
  | { kind: 'range'; range: string };

export interface ParsedSpec {
  spec: VersionSpec;
  /** Java only: the distribution named by `temurin-21` (else the pin's, else "temurin"). */
  distribution?: string;
  /** The spec as written, trimmed. */
  raw: string;
}

const VERSION = /^v?(\d+(?:\.\d+)*)$/;
/** Go and Python write pre-releases without a dash: 1.21rc2, 3.13.0rc2, 1.22beta1. */
const GLUED_PRERELEASE = /^v?(?:go)?(\d+(?:\.\d+)*)((?:a|b|rc|alpha|beta)\.?\d+)$/;
const EXACT_PARTS: Record<string, number> = { node: 3, python: 3, go: 3, java: 3, rust: 3 };

export function parseSpec(runtime: string, input: string, distribution?: string): ParsedSpec {
  const parts = splitPin(runtime, input);
  const raw = parts.spec;
  const dist = runtime === 'java' ? (parts.distribution ?? distribution ?? 'temurin') : distribution;
  const base = dist === undefined ? { raw } : { raw, distribution: dist };
  return { ...base, spec: parseBareSpec(runtime, raw) };
}

function parseBareSpec(runtime: string, raw: string): VersionSpec {
  const lower = raw.toLowerCase();
  if (lower === 'system') return { kind: 'system' };
  if (lower === 'latest' || lower === 'current' || lower === '*' || lower === '') return { kind: 'latest' };
  if (lower === 'lts' || lower === 'lts/*' || lower === 'lts/latest') return { kind: 'lts' };
  if (lower.startsWith('lts/')) return { kind: 'lts', codename: lower.slice(4) };
  if (lower === 'stable' || lower === 'beta' || lower === 'nightly') {
    // Only Rust has channels; elsewhere "stable" means the newest release.
    return runtime === 'rust' ? { kind: 'channel', channel: lower } : { kind: 'latest' };
  }
  const goPrefixed = runtime === 'go' ? lower.replace(/^go(?=\d)/, '') : lower;
  const plain = VERSION.exec(goPrefixed);
  if (plain?.[1]) {
    const version = plain[1];
    return { kind: 'version', version, exact: version.split('.').length >= (EXACT_PARTS[runtime] ?? 3) };
  }
  const glued = GLUED_PRERELEASE.exec(goPrefixed);
  if (glued?.[1] && glued[2]) return { kind: 'version', version: `${glued[1]}${glued[2]}`, exact: true };
  // Java full versions carry a build (21.0.2+13); semver pre-releases a dash (24.0.0-rc.1).
  if (/^\d+(\.\d+)*(\+\d+|-[0-9a-z.-]+)$/.test(goPrefixed)) {
    return { kind: 'version', version: goPrefixed, exact: true };
  }
  return { kind: 'range', range: raw };
}
