import type { RuntimePin } from '../manifest/types.js';
import { semver } from '../versions/semver.cjs';

export type RuntimeFit =
  /** The project pins no version of this runtime: poly pins the template's. */
  | { kind: 'unpinned' }
  /** Every version the pin allows is inside the template's range. */
  | { kind: 'inside'; spec: string }
  /** An alias ("stable", "lts", "system"): which version it means is not known offline. */
  | { kind: 'unknown'; spec: string }
  /** The pin allows versions the template does not support. */
  | { kind: 'outside'; spec: string };

/** Whether the project's pin of the template's runtime fits the template's supported `range`. */
export function runtimeFit(pin: RuntimePin | undefined, range: string): RuntimeFit {
  if (!pin) return { kind: 'unpinned' };
  const spec = pin.spec;
  const version = versionRange(spec);
  if (version === undefined) return { kind: 'unknown', spec };
  return semver().subset(version, range, { includePrerelease: true })
    ? { kind: 'inside', spec }
    : { kind: 'outside', spec };
}

/**
 * The semver range a pin spec stands for: "22" -> 22.x, "3.12" -> 3.12.x,
 * "^3.12" as written, "temurin-21" -> 21.x. Undefined for aliases.
 */
export function versionRange(spec: string): string | undefined {
  const bare = spec.replace(/^[a-z][a-z0-9]*-(?=\d)/i, '').replace(/^v(?=\d)/, '');
  if (!/\d/.test(bare)) return undefined;
  // Rust-style "1.82.0-nightly" or Java "21.0.2+13": keep the version part.
  const cleaned = bare.replace(/\+.*$/, '');
  return (
    semver().validRange(cleaned) ?? semver().validRange(semver().coerce(cleaned)?.version ?? '') ?? undefined
  );
}
