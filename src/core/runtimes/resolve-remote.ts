import { getRuntime } from '../../../runtimes/index.js';
import {
  type Artifact,
  type FetchText,
  joinUrl,
  type Platform,
  type PlatformArtifacts,
  platformKey,
  type RemoteVersion,
  type RuntimeDefinition,
  type SourceContext,
} from '../../../runtimes/types.js';
import { PolyError } from '../errors.js';
import type { RuntimePin } from '../manifest/types.js';
import type { StoreLayout } from '../store/layout.js';
import type { LockedRuntime } from '../store/lockfile.js';
import { pinSource } from '../store/lockfile.js';
import { nearestVersions, resolveVersion } from '../versions/resolve.js';
import { parseSpec } from '../versions/spec.js';
import type { HttpOptions } from './http.js';
import { cachedFetchText, type IndexCacheOptions } from './index-cache.js';
import { mirrorHint, sourceContext } from './mirrors.js';

export interface RemoteOptions {
  layout: StoreLayout;
  env: NodeJS.ProcessEnv;
  http: HttpOptions;
  ttlMs: number;
  refresh?: boolean;
  offline?: boolean;
}

export interface Source {
  def: RuntimeDefinition;
  ctx: SourceContext;
  fetch: FetchText;
}

/** A runtime's source (mirror or official) and a cached fetcher whose errors say how to set a mirror. */
export async function openSource(pin: RuntimePin, opts: RemoteOptions): Promise<Source> {
  const def = getRuntime(pin.runtime);
  const ctx = await sourceContext(def, pin, opts.layout, opts.env);
  const cacheOpts: IndexCacheOptions = {
    ttlMs: opts.ttlMs,
    http: { ...opts.http, unreachableHint: mirrorHint(def) },
    ...(opts.refresh ? { refresh: true } : {}),
    ...(opts.offline ? { offline: true } : {}),
  };
  return { def, ctx, fetch: cachedFetchText(opts.layout, cacheOpts) };
}

/** Every version the source lists for a spec, newest first. */
export async function listRemote(
  source: Source,
  spec: string,
  distribution?: string,
): Promise<RemoteVersion[]> {
  const parsed = parseSpec(source.def.name, spec, distribution);
  return source.def.listVersions(source.ctx, parsed.spec, source.fetch);
}

export interface Resolved {
  version: string;
  locked: LockedRuntime;
}

/** Resolves a pin against the remote index and gathers the archives for every platform (for poly.lock). */
export async function resolveRemote(pin: RuntimePin, source: Source): Promise<Resolved> {
  const { def, ctx, fetch } = source;
  const parsed = parseSpec(pin.runtime, pin.spec, pin.distribution);
  const list = await def.listVersions(ctx, parsed.spec, fetch);
  const version = resolveVersion(parsed.spec, list);
  const remote = version ? list.find((v) => v.version === version) : undefined;
  if (!version || !remote) throw notFound(pin, list);
  let artifacts: PlatformArtifacts;
  try {
    artifacts = await def.artifacts(ctx, remote, fetch);
  } catch (err) {
    if ((err as PolyError).code === 'NOT_FOUND') throw notFound(pin, list, err);
    throw err;
  }
  const platforms: LockedRuntime['platforms'] = {};
  for (const [key, a] of Object.entries(artifacts) as [keyof PlatformArtifacts, Artifact][]) {
    platforms[key] = { url: canonicalUrl(a.url, def, ctx), checksum: a.checksum };
  }
  return { version, locked: { spec: pin.spec, version, source: pinSource(pin), platforms } };
}

function notFound(pin: RuntimePin, list: RemoteVersion[], cause?: unknown): PolyError {
  const near = nearestVersions(pin.spec, list);
  return new PolyError('VERSION_NOT_FOUND', `no ${pin.runtime} version matches "${pin.spec}"`, {
    hint: `${near.length ? `Nearest versions: ${near.join(', ')}. ` : ''}See them all with \`poly ls-remote ${pin.runtime}\`.`,
    cause,
  });
}

/** poly.lock records official URLs, so a mirror on one machine does not churn the lock for everyone. */
export function canonicalUrl(url: string, def: RuntimeDefinition, ctx: SourceContext): string {
  if (ctx.base !== def.officialBase && url.startsWith(`${ctx.base}/`)) {
    return joinUrl(def.officialBase, url.slice(ctx.base.length + 1));
  }
  return url;
}

/** The URL to download a locked archive from here: official URLs move under the configured mirror. */
export function downloadUrl(url: string, def: RuntimeDefinition, ctx: SourceContext): string {
  if (ctx.base !== def.officialBase && url.startsWith(`${def.officialBase}/`)) {
    return joinUrl(ctx.base, url.slice(def.officialBase.length + 1));
  }
  return url;
}

/** The archive to install on this platform, from a lock entry. */
export function lockedArtifact(
  locked: LockedRuntime,
  def: RuntimeDefinition,
  ctx: SourceContext,
  platform: Platform,
): Artifact {
  const a = locked.platforms[platformKey(platform)];
  if (!a) {
    throw new PolyError(
      'PLATFORM_UNSUPPORTED',
      `${def.name} ${locked.version} has no build for ${platformKey(platform)} in poly.lock`,
      { hint: `Pick another version, or run \`poly install --refresh\` if the source added one.` },
    );
  }
  return {
    url: downloadUrl(a.url, def, ctx),
    checksum: a.checksum,
    strip: def.archive.strip,
    ...(def.archive.layout ? { layout: def.archive.layout } : {}),
  };
}
