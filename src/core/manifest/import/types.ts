import type { RuntimeName } from '../types.js';

/** A pin found in a file the project already has. Parsers are pure: text in, pins out. */
export interface FoundPin {
  runtime: RuntimeName;
  /** As poly.toml will hold it: "22", "lts", "temurin-21.0.2". */
  spec: string;
  /** What the file said, when it differs from spec (".nvmrc: v22.11.0"). */
  written?: string;
}

/** A parser's verdict on one file: pins, and lines it could not use (with why). */
export interface ParseResult {
  pins: FoundPin[];
  skipped: string[];
}

export function pins(...found: FoundPin[]): ParseResult {
  return { pins: found, skipped: [] };
}

/** First line that is not blank or a # comment, trimmed. */
export function firstValueLine(text: string): string | undefined {
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line) return line;
  }
  return undefined;
}
