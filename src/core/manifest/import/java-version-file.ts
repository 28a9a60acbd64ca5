import { javaSpec } from './java-distribution.js';
import { firstValueLine, type ParseResult, pins } from './types.js';

/** .java-version (jenv, mise): "21", "17.0.2", or jenv's "temurin64-21.0.2" / "openjdk64-17.0.2". */
export function parseJavaVersionFile(text: string): ParseResult {
  const written = firstValueLine(text);
  if (!written) return { pins: [], skipped: ['the file is empty'] };
  const m = /^(?:([a-z][a-z0-9.]*?)-)?(\d[\w.+-]*)$/i.exec(written);
  if (!m?.[2]) return { pins: [], skipped: [`"${written}" is not a Java version`] };
  const spec = javaSpec(m[1]?.replace(/\.\d.*$/, ''), m[2]);
  return pins({ runtime: 'java', spec, written });
}
