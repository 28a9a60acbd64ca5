import { javaSpec } from './java-distribution.js';
import type { ParseResult } from './types.js';

/** .sdkmanrc: `java=21.0.2-tem` (version, then SDKMAN's vendor code). Other candidates are not runtimes poly manages. */
export function parseSdkmanrc(text: string): ParseResult {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^java\s*=\s*(\d[\w.+]*?)(?:-([a-z][a-z0-9]*))?$/i.exec(line);
    if (m?.[1])
      return { pins: [{ runtime: 'java', spec: javaSpec(m[2], m[1]), written: line }], skipped: [] };
  }
  return { pins: [], skipped: ['no java= line'] };
}
