import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import type { PlatformKey } from '../../../runtimes/types.js';
import { expectErrno, NOT_THERE } from '../errno.js';
import { EXIT_USAGE, PolyError } from '../errors.js';
import { RUNTIME_NAMES, type RuntimeName, type RuntimePin } from '../manifest/types.js';
import { writeFileAtomic } from './atomic-write.js';

/**
 * poly.lock: per runtime the spec it was resolved from, the version, the
 * source, and for every platform the source offers the archive URL and checksum.
 * Written in one fixed order so it never churns between runs or machines.
 */
export const LOCK_PLATFORMS: readonly PlatformKey[] = [
  'linux-x64',
  'linux-arm64',
  'darwin-x64',
  'darwin-arm64',
];

export interface LockedArtifact {
  url: string;
  checksum: string;
}

export interface LockedRuntime {
  spec: string;
  version: string;
  /** "official", "npm", or the Java distribution ("temurin"). */
  source: string;
  platforms: Partial<Record<PlatformKey, LockedArtifact>>;
}

export interface Lockfile {
  runtimes: Partial<Record<RuntimeName, LockedRuntime>>;
  /**
   * Database packages (`use = "postgres@16"`), same shape; their URLs are
   * paths under the package's base (a Maven repository), so no host is written.
   */
  packages?: Record<string, LockedRuntime>;
}

const HEADER = '# poly.lock: written by poly install. Commit it; do not edit by hand.\n';

export function readLockfile(file: string): Lockfile | undefined {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    expectErrno(err, ...NOT_THERE);
    return undefined;
  }
  let data: Record<string, unknown>;
  try {
    data = parse(source) as Record<string, unknown>;
  } catch (err) {
    throw new PolyError('LOCK_INVALID', `${file}: ${(err as Error).message.split('\n')[0]}`, {
      hint: 'Delete poly.lock and run `poly install` to write it again.',
      exitCode: EXIT_USAGE,
    });
  }
  const runtimes: Lockfile['runtimes'] = {};
  const table = (data.runtimes ?? {}) as Record<string, Record<string, unknown>>;
  for (const name of RUNTIME_NAMES) {
    const entry = lockedEntry(table[name]);
    if (entry) runtimes[name] = entry;
  }
  const packages: Record<string, LockedRuntime> = {};
  for (const [name, raw] of Object.entries(
    (data.packages ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    const entry = lockedEntry(raw);
    if (entry) packages[name] = entry;
  }
  return Object.keys(packages).length ? { runtimes, packages } : { runtimes };
}

function lockedEntry(r: Record<string, unknown> | undefined): LockedRuntime | undefined {
  if (!r || typeof r.version !== 'string') return undefined;
  const platforms: LockedRuntime['platforms'] = {};
  const p = (r.platforms ?? {}) as Record<string, { url?: unknown; checksum?: unknown }>;
  for (const key of LOCK_PLATFORMS) {
    const a = p[key];
    if (a && typeof a.url === 'string' && typeof a.checksum === 'string') {
      platforms[key] = { url: a.url, checksum: a.checksum };
    }
  }
  return {
    spec: String(r.spec ?? ''),
    version: r.version,
    source: String(r.source ?? 'official'),
    platforms,
  };
}

const q = (s: string) => JSON.stringify(s);

export function serializeLockfile(lock: Lockfile): string {
  let out = `${HEADER}version = 1\n`;
  for (const name of [...RUNTIME_NAMES].sort()) {
    const r = lock.runtimes[name];
    if (!r) continue;
    out += `\n[runtimes.${name}]\nspec = ${q(r.spec)}\nversion = ${q(r.version)}\nsource = ${q(r.source)}\n`;
    for (const key of LOCK_PLATFORMS) {
      const a = r.platforms[key];
      if (!a) continue;
      out += `\n[runtimes.${name}.platforms.${key}]\nurl = ${q(a.url)}\nchecksum = ${q(a.checksum)}\n`;
    }
  }
  for (const name of Object.keys(lock.packages ?? {}).sort()) {
    const r = lock.packages?.[name];
    if (!r) continue;
    out += `\n[packages.${name}]\nspec = ${q(r.spec)}\nversion = ${q(r.version)}\nsource = ${q(r.source)}\n`;
    for (const key of LOCK_PLATFORMS) {
      const a = r.platforms[key];
      if (a) out += `\n[packages.${name}.platforms.${key}]\nurl = ${q(a.url)}\nchecksum = ${q(a.checksum)}\n`;
    }
  }
  return out;
}

/** Writes poly.lock only when its content changes; returns whether it did. */
export function writeLockfile(file: string, lock: Lockfile): boolean {
  const text = serializeLockfile(lock);
  try {
    if (readFileSync(file, 'utf8') === text) return false;
  } catch (err) {
    // No lock yet.
    expectErrno(err, ...NOT_THERE);
  }
  writeFileAtomic(file, text);
  return true;
}

/** The source a pin asks for, as poly.lock records it. */
export function pinSource(pin: RuntimePin): string {
  if (pin.runtime === 'java') return pin.distribution ?? 'temurin';
  if (pin.runtime === 'node') return pin.source ?? 'official';
  return 'official';
}

/** Whether a lock entry was resolved from this pin (same spec, same source). */
export function lockMatchesPin(locked: LockedRuntime | undefined, pin: RuntimePin): boolean {
  return !!locked && locked.spec === pin.spec && locked.source === pinSource(pin);
}

/** Why poly.lock does not describe these pins (empty when it does), for `--frozen`. */
export function lockDisagreements(pins: RuntimePin[], lock: Lockfile): string[] {
  const problems: string[] = [];
  for (const pin of pins) {
    if (pin.spec === 'system') continue;
    const locked = lock.runtimes[pin.runtime];
    if (!locked) problems.push(`${pin.runtime} is pinned to "${pin.spec}" but poly.lock has no entry for it`);
    else if (!lockMatchesPin(locked, pin)) {
      problems.push(
        `${pin.runtime}: poly.toml says "${pin.spec}" (${pinSource(pin)}), poly.lock was resolved from "${locked.spec}" (${locked.source})`,
      );
    }
  }
  const pinned = new Set<string>(pins.map((p) => p.runtime));
  for (const name of Object.keys(lock.runtimes)) {
    if (!pinned.has(name)) problems.push(`poly.lock has ${name}, which poly.toml no longer pins`);
  }
  return problems;
}
