import { firstValueLine, type ParseResult, pins } from './types.js';

/** .go-version (goenv, gvm): "1.22.3", sometimes written "go1.22.3". */
export function parseGoVersionFile(text: string): ParseResult {
  const written = firstValueLine(text);
  if (!written) return { pins: [], skipped: ['the file is empty'] };
  const spec = written.replace(/^go(?=\d)/, '');
  return pins(spec === written ? { runtime: 'go', spec } : { runtime: 'go', spec, written });
}
