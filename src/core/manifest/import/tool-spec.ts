import type { RuntimeName } from '../types.js';
import { javaSpec } from './java-distribution.js';

/** A version as asdf or mise write it, as a poly spec. */
export function specFromToolVersion(runtime: RuntimeName, written: string): string {
  const version = written.replace(/^prefix:/, '');
  if (runtime === 'node') {
    const lts = /^lts[-/]([a-z]+)$/.exec(version);
    if (lts?.[1]) return lts[1] === '*' ? 'lts' : `lts/${lts[1]}`;
    return version.replace(/^v(?=\d)/, '');
  }
  if (runtime === 'java') {
    if (version === 'latest' || version === 'system' || version === 'lts') return version;
    const m = /^(?:([a-z][a-z0-9]*)-)?(\d.*)$/i.exec(version);
    return m?.[2] ? javaSpec(m[1], m[2]) : version;
  }
  if (runtime === 'go') return version.replace(/^go(?=\d)/, '');
  return version;
}
