import { readdirSync } from 'node:fs';
import { expectErrno, NOT_THERE } from '../errno.js';
import type { RuntimeName, RuntimePin } from '../manifest/types.js';
import { installDir, type StoreLayout } from '../store/layout.js';
import { compareVersions } from '../versions/compare.js';
import { semver } from '../versions/semver.cjs';

export interface InstalledToolchain {
  runtime: RuntimeName;
  version: string;
  /** Absolute install dir: installs/<runtime>/<version>. */
  dir: string;
}

/**
 * Versions present under installs/<runtime>/, newest first. An install dir
 * only appears there by an atomic rename, so presence means complete.
 * Hidden entries (temp dirs, locks) are skipped.
 */
export function listInstalled(layout: StoreLayout, runtime: RuntimeName): string[] {
  let names: string[];
  try {
    names = readdirSync(`${layout.installs}/${runtime}`);
  } catch (err) {
    expectErrno(err, ...NOT_THERE);
    return [];
  }
  return names.filter((n) => !n.startsWith('.')).sort(compareVersionsDesc);
}

export function compareVersionsDesc(a: string, b: string): number {
  // The versions module knows each runtime's spelling (go1.20, 1.21rc2, 21.0.5+11).
  return compareVersions(b, a);
}

/**
 * The installed toolchain that satisfies a pin, without touching the network:
 * the newest installed version matching the spec. `lockedVersion` (from
 * poly.lock) wins when it is installed and matches.
 */
export function findInstalled(
  layout: StoreLayout,
  pin: RuntimePin,
  lockedVersion?: string,
): InstalledToolchain | undefined {
  const versions = listInstalled(layout, pin.runtime);
  const pick =
    lockedVersion && versions.includes(lockedVersion)
      ? lockedVersion
      : versions.find((v) => installedVersionMatches(pin.spec, v));
  return pick
    ? { runtime: pin.runtime, version: pick, dir: installDir(layout, pin.runtime, pick) }
    : undefined;
}

/** Whether an installed version satisfies a spec, by the offline rules (aliases take the newest). */
export function installedVersionMatches(spec: string, version: string): boolean {
  const s = spec.trim().replace(/^v/, '');
  if (s === version) return true;
  if (['latest', 'stable', 'lts'].includes(s) || s.startsWith('lts/')) return true;
  if (/^\d+(\.\d+)*$/.test(s)) return version === s || version.startsWith(`${s}.`);
  const coerced = semver().coerce(version, { loose: true });
  if (!coerced) return false;
  return semver().validRange(s, { loose: true }) !== null && semver().satisfies(coerced, s, { loose: true });
}
