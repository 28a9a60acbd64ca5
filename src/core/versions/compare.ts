import type { SemVer } from 'semver';
import { semver } from './semver.cjs';

/**
 * Every runtime writes versions a little differently (go1.20, 1.21rc2,
 * 3.13.0rc2, 21.0.2+13). These turn them into semver for ordering and ranges.
 */
export function toSemver(version: string): SemVer | null {
  let v = version.trim().replace(/^(v|go)(?=\d)/, '');
  const glued = /^(\d+(?:\.\d+)*)(a|b|rc|alpha|beta)\.?(\d+)$/.exec(v);
  let pre = '';
  if (glued?.[1] && glued[2] && glued[3]) {
    v = glued[1];
    pre = `-${glued[2]}.${glued[3]}`;
  }
  const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(v);
  if (!m?.[1]) return null;
  const parts = m[1].split('.');
  while (parts.length < 3) parts.push('0');
  const core = parts.slice(0, 3).join('.');
  return (
    semver().parse(`${core}${pre}${m[2] ?? ''}`, { loose: true }) ?? semver().coerce(version, { loose: true })
  );
}

/** Whether a version string names a pre-release (1.21rc2, 3.13.0a1, 23.0.0-rc.1). */
export function isPrerelease(version: string): boolean {
  const s = toSemver(version);
  return s ? s.prerelease.length > 0 : /[a-z]/i.test(version.replace(/^(v|go)/, ''));
}

/** Ascending order. Java build numbers (+13) break ties semver ignores. */
export function compareVersions(a: string, b: string): number {
  const sa = toSemver(a);
  const sb = toSemver(b);
  if (sa && sb) {
    const c = semver().compare(sa, sb);
    if (c !== 0) return c;
    const ba = Number(sa.build[0] ?? 0);
    const bb = Number(sb.build[0] ?? 0);
    if (ba !== bb) return ba - bb;
    // 1.20 and 1.20.0 compare equal as semver; the longer one is the later name.
    if (a.length !== b.length) return a.length - b.length;
  } else if (sa) return 1;
  else if (sb) return -1;
  return a.localeCompare(b);
}

export function sortVersionsDesc<T extends string>(versions: readonly T[]): T[] {
  return [...versions].sort((a, b) => compareVersions(b, a));
}
