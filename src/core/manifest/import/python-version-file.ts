import { firstValueLine, type ParseResult, pins } from './types.js';

/**
 * .python-version (pyenv, uv): the first line names the version; later lines
 * are fallbacks. Only CPython can be installed: "pypy3.10" is reported, not pinned.
 */
export function parsePythonVersionFile(text: string): ParseResult {
  const written = firstValueLine(text);
  if (!written) return { pins: [], skipped: ['the file is empty'] };
  const spec = written.replace(/^(cpython|python)-?(?=\d)/i, '');
  if (!/^\d/.test(spec) && spec !== 'system')
    return { pins: [], skipped: [`"${written}" is not a CPython version`] };
  return pins(spec === written ? { runtime: 'python', spec } : { runtime: 'python', spec, written });
}
