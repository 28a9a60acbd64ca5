import { parse } from 'smol-toml';
import { firstValueLine, type ParseResult } from './types.js';

/** "stable-x86_64-unknown-linux-gnu" -> "stable": the host triple is poly's business. */
function channelOf(channel: string): string {
  const m = /^(stable|beta|nightly(?:-\d{4}-\d{2}-\d{2})?|\d+\.\d+(?:\.\d+)?)(?:-[a-z0-9_]+-.*)?$/.exec(
    channel,
  );
  return m?.[1] ?? channel;
}

function fromChannel(channel: unknown, written: string): ParseResult {
  if (typeof channel !== 'string' || channel.trim() === '')
    return { pins: [], skipped: ['no toolchain channel (a custom path toolchain cannot be pinned)'] };
  const spec = channelOf(channel.trim());
  return { pins: [{ runtime: 'rust', spec, written }], skipped: [] };
}

/** rust-toolchain.toml: `[toolchain] channel = "1.82.0"`. */
export function parseRustToolchainToml(text: string): ParseResult {
  let data: Record<string, unknown>;
  try {
    data = parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch {
    return { pins: [], skipped: ['not valid TOML'] };
  }
  const toolchain = data.toolchain as Record<string, unknown> | undefined;
  const channel = toolchain?.channel;
  return fromChannel(channel, `channel = "${String(channel)}"`);
}

/** rust-toolchain (legacy): either the TOML form or a bare channel on one line. */
export function parseRustToolchainLegacy(text: string): ParseResult {
  if (/^\s*\[toolchain\]/m.test(text)) return parseRustToolchainToml(text);
  const line = firstValueLine(text);
  return line ? fromChannel(line, line) : { pins: [], skipped: ['the file is empty'] };
}
