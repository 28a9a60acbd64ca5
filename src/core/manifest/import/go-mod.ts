import type { ParseResult } from './types.js';

/**
 * go.mod: the `toolchain go1.22.3` line names the exact toolchain; without it
 * the `go 1.22` line is the minimum language version, pinned as a prefix.
 */
export function parseGoMod(text: string): ParseResult {
  let go: string | undefined;
  let toolchain: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const t = /^toolchain\s+go(\d[\w.+-]*)$/.exec(line);
    if (t?.[1]) toolchain = t[1];
    const g = /^go\s+(\d[\w.+-]*)$/.exec(line);
    if (g?.[1]) go = g[1];
  }
  if (toolchain)
    return { pins: [{ runtime: 'go', spec: toolchain, written: `toolchain go${toolchain}` }], skipped: [] };
  if (go) return { pins: [{ runtime: 'go', spec: go, written: `go ${go}` }], skipped: [] };
  return { pins: [], skipped: ['no go or toolchain line'] };
}
