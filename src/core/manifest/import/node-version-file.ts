import { type FoundPin, firstValueLine, type ParseResult, pins } from './types.js';

/**
 * .nvmrc and .node-version: one version or alias. nvm's aliases map to
 * poly's: "node"/"stable" -> latest, "lts/*" -> lts, "lts/iron" stays.
 */
export function parseNodeVersionFile(text: string): ParseResult {
  const written = firstValueLine(text);
  if (!written) return { pins: [], skipped: ['the file is empty'] };
  const lower = written.toLowerCase();
  let spec: string;
  if (lower === 'node' || lower === 'stable' || lower === 'current' || lower === 'latest') spec = 'latest';
  else if (lower === 'lts/*' || lower === 'lts') spec = 'lts';
  else if (/^lts\/[a-z]+$/.test(lower)) spec = lower;
  else spec = written.replace(/^v(?=\d)/, '');
  const pin: FoundPin = { runtime: 'node', spec };
  if (spec !== written) pin.written = written;
  return pins(pin);
}
