import { compareVersions, isPrerelease, toSemver } from './compare.js';
import { semver } from './semver.cjs';
import type { VersionSpec } from './spec.js';

/** One version a source offers, with what the aliases need to know about it. */
export interface AvailableVersion {
  version: string;
  /** Node: the LTS codename ("Iron"); Java: "lts"; absent for non-LTS releases. */
  lts?: string;
  /** Rust: the channel this version is the current head of. */
  channel?: string;
  prerelease?: boolean;
}

function pre(v: AvailableVersion): boolean {
  return v.prerelease ?? isPrerelease(v.version);
}

/** Whether a version satisfies a spec (aliases are handled by resolveVersion). */
export function versionMatches(spec: VersionSpec, v: AvailableVersion): boolean {
  switch (spec.kind) {
    case 'version': {
      if (v.version === spec.version) return true;
      if (pre(v)) return false;
      return v.version.startsWith(`${spec.version}.`) || v.version.startsWith(`${spec.version}+`);
    }
    case 'range': {
      if (pre(v)) return false;
      const s = toSemver(v.version);
      return !!s && semver().satisfies(s, spec.range, { loose: true });
    }
    case 'latest':
      return !pre(v);
    case 'lts':
      return (
        !pre(v) &&
        !!v.lts &&
        (spec.codename === undefined || v.lts.toLowerCase() === spec.codename.toLowerCase())
      );
    case 'channel':
      return v.channel === spec.channel || (spec.channel === 'stable' && v.channel === undefined && !pre(v));
    case 'system':
      return false;
  }
}

/**
 * The newest available version satisfying the spec, or undefined.
 * `system` never resolves here: it is the one on PATH, found by the caller.
 */
export function resolveVersion(
  spec: VersionSpec,
  available: readonly AvailableVersion[],
): string | undefined {
  if (spec.kind === 'channel') {
    const head = available.find((v) => v.channel === spec.channel);
    if (head) return head.version;
  }
  let best: string | undefined;
  for (const v of available) {
    if (!versionMatches(spec, v)) continue;
    if (best === undefined || compareVersions(v.version, best) > 0) best = v.version;
  }
  return best;
}

/** Up to `count` versions closest to what was asked for, newest first among equals. For "not found" hints. */
export function nearestVersions(wanted: string, available: readonly AvailableVersion[], count = 3): string[] {
  const target = toSemver(wanted.replace(/^[^\d]*/, ''));
  const stable = available.filter((v) => !pre(v)).map((v) => v.version);
  if (!target) return stable.sort((a, b) => compareVersions(b, a)).slice(0, count);
  const distance = (v: string): number[] => {
    const s = toSemver(v);
    if (!s) return [Number.MAX_SAFE_INTEGER];
    return [
      Math.abs(s.major - target.major),
      Math.abs(s.minor - target.minor),
      Math.abs(s.patch - target.patch),
    ];
  };
  const scored = stable.map((v) => ({ v, d: distance(v) }));
  // Nearest line first; within a line that differs anyway, its newest releases first.
  scored.sort((x, y) => {
    for (let i = 0; i < 3; i++) {
      const diff = (x.d[i] ?? 0) - (y.d[i] ?? 0);
      if (diff !== 0) return diff;
      if ((x.d[i] ?? 0) !== 0) break;
    }
    return compareVersions(y.v, x.v);
  });
  return scored.slice(0, count).map((s) => s.v);
}
