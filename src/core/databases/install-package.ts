import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getPackage } from '../../../packages/index.js';
import type { PackageDefinition } from '../../../packages/types.js';
import { type Artifact, joinUrl, type Platform, platformKey } from '../../../runtimes/types.js';
import { PolyError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';
import { httpOptionsFromEnv } from '../runtimes/http.js';
import { cachedFetchText, indexTtlFromEnv } from '../runtimes/index-cache.js';
import { installArtifact } from '../runtimes/install-toolchain.js';
import { readSetting } from '../runtimes/mirrors.js';
import { findOnPath } from '../runtimes/system.js';
import { installDir, LOCK_FILE, type StoreLayout } from '../store/layout.js';
import { type LockedRuntime, readLockfile, writeLockfile } from '../store/lockfile.js';
import { nearestVersions, resolveVersion } from '../versions/resolve.js';
import { parseSpec } from '../versions/spec.js';

export interface PackageInstallOptions {
  layout: StoreLayout;
  env: NodeJS.ProcessEnv;
  /** The project folder: its poly.lock is used and updated. */
  root: string;
  platform: Platform;
  /** `poly install --frozen`: poly.lock must already say what to install. */
  frozen?: boolean;
}

export interface InstalledPackage {
  version: string;
  dir: string;
  installed: boolean;
}

/**
 * A database package through the toolchains' install engine: resolved
 * against the source (or taken from poly.lock), downloaded, verified and
 * unpacked atomically into installs/<name>/<version>. poly.lock records every
 * platform's archive as a path under the base, so no host lands in the file.
 */
export async function ensurePackage(
  def: PackageDefinition,
  spec: string,
  opts: PackageInstallOptions,
  /** The name poly.lock keeps it under: the one `use` gives ("redis" and "valkey" share a package). */
  lockName: string = def.name,
): Promise<InstalledPackage> {
  const lockFile = join(opts.root, LOCK_FILE);
  const lock = readLockfile(lockFile) ?? { runtimes: {} };
  let entry = lock.packages?.[lockName];
  if (!entry || entry.spec !== spec || entry.source !== def.sourceName) {
    if (opts.frozen)
      throw new PolyError('LOCK_MISMATCH', `${lockName} "${spec}" is not in poly.lock`, {
        hint: 'Run `poly install` without --frozen to update poly.lock, then commit it.',
      });
    const base = await packageBase(def, opts);
    entry = await resolvePackage(def, spec, base, opts);
    writeLockfile(lockFile, { ...lock, packages: { ...lock.packages, [lockName]: entry } });
  }
  const dir = installDir(opts.layout, def.name, entry.version);
  if (existsSync(dir)) return { version: entry.version, dir, installed: false };
  const locked = entry.platforms[platformKey(opts.platform)];
  if (!locked)
    throw new PolyError(
      'PLATFORM_UNSUPPORTED',
      `${def.name} ${entry.version} has no build for ${platformKey(opts.platform)}`,
      { hint: `Pick another version in use = "${def.name}@<version>".` },
    );
  const base = await packageBase(def, opts);
  const artifact: Artifact = {
    url: joinUrl(base, locked.url),
    checksum: locked.checksum,
    strip: def.archive.strip,
    ...(def.archive.layout ? { layout: def.archive.layout } : {}),
  };
  const systemTar = findOnPath('tar', opts.env);
  const xz = findOnPath('xz', opts.env);
  const result = await installArtifact({
    layout: opts.layout,
    runtime: { name: def.name as never },
    version: entry.version,
    artifact,
    http: { ...httpOptionsFromEnv(opts.env), unreachableHint: mirrorHint(def) },
    ...(systemTar ? { systemTar } : {}),
    ...(xz ? { xz } : {}),
  });
  return { version: entry.version, ...result };
}

/** POLY_<NAME>_MIRROR, else `poly config set mirror.<name>`, else the source client's own configuration. */
export async function packageBase(
  def: PackageDefinition,
  opts: Pick<PackageInstallOptions, 'layout' | 'env'>,
) {
  const fromEnv = opts.env[def.mirrorEnv];
  if (fromEnv) return fromEnv.replace(/\/+$/, '');
  const setting = readSetting(opts.layout, `mirror.${def.name}`);
  if (typeof setting === 'string' && setting) return setting.replace(/\/+$/, '');
  return def.defaultBase(opts.env);
}

function mirrorHint(def: PackageDefinition): string {
  return `${def.name}: check the network, or use a mirror: export ${def.mirrorEnv}=<url>, or run \`poly config set mirror.${def.name} <url>\`.`;
}

async function resolvePackage(
  def: PackageDefinition,
  spec: string,
  base: string,
  opts: PackageInstallOptions,
): Promise<LockedRuntime> {
  const fetch = cachedFetchText(opts.layout, {
    ttlMs: indexTtlFromEnv(opts.env),
    http: { ...httpOptionsFromEnv(opts.env), unreachableHint: mirrorHint(def) },
  });
  const list = await def.listVersions(base, opts.platform, fetch, opts.env);
  const version = resolveVersion(parseSpec(def.name, spec).spec, list);
  if (!version) {
    const near = nearestVersions(spec, list);
    throw new PolyError('VERSION_NOT_FOUND', `no ${def.name} version matches "${spec}"`, {
      hint: `${near.length ? `Nearest versions: ${near.join(', ')}. ` : ''}Change use = "${def.name}@<version>" in poly.toml.`,
    });
  }
  const artifacts = await def.artifacts(base, version, fetch);
  const platforms: LockedRuntime['platforms'] = {};
  for (const [key, a] of Object.entries(artifacts)) {
    if (a) platforms[key as keyof typeof platforms] = { url: relativeTo(base, a.url), checksum: a.checksum };
  }
  return { spec, version, source: def.sourceName, platforms };
}

function relativeTo(base: string, url: string): string {
  return url.startsWith(`${base}/`) ? url.slice(base.length + 1) : url;
}

/**
 * `poly install` for the database services: each one's package, as `poly up`
 * would install it, and poly.lock's [packages] kept to the ones poly.toml uses.
 * Returns whether poly.lock changed.
 */
export async function installDatabasePackages(
  manifest: Pick<Manifest, 'root' | 'services'>,
  opts: Omit<PackageInstallOptions, 'root'>,
): Promise<boolean> {
  const lockFile = join(manifest.root, LOCK_FILE);
  const before = existsSync(lockFile) ? readFileSync(lockFile, 'utf8') : '';
  const used = new Set<string>();
  for (const spec of Object.values(manifest.services)) {
    if (!spec.database) continue;
    used.add(spec.database.name);
    await ensurePackage(
      getPackage(spec.database.name),
      spec.database.spec,
      { ...opts, root: manifest.root },
      spec.database.name,
    );
  }
  const lock = readLockfile(lockFile);
  const stale = Object.keys(lock?.packages ?? {}).filter((name) => !used.has(name));
  if (lock && stale.length && !opts.frozen) {
    const packages = Object.fromEntries(
      Object.entries(lock.packages ?? {}).filter(([name]) => used.has(name)),
    );
    writeLockfile(
      lockFile,
      Object.keys(packages).length ? { ...lock, packages } : { runtimes: lock.runtimes },
    );
  }
  return (existsSync(lockFile) ? readFileSync(lockFile, 'utf8') : '') !== before;
}
