import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FetchText } from '../../../runtimes/types.js';
import { expectErrno, NOT_THERE } from '../errno.js';
import { PolyError } from '../errors.js';
import { numberVariable } from '../poly-env.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import type { StoreLayout } from '../store/layout.js';
import { storeError } from '../store/store-error.js';
import { fetchTextWithRetries, type HttpOptions } from './http.js';

export interface IndexCacheOptions {
  /** How long a fetched document is reused without asking again. */
  ttlMs: number;
  /** Refetch even when the cached copy is fresh (`--refresh`). */
  refresh?: boolean;
  /** Never touch the network: cached copies only, however old (`--offline`, POLY_OFFLINE=1). */
  offline?: boolean;
  http: HttpOptions;
  now?: () => number;
}

interface CachedDocument {
  url: string;
  fetchedAt: number;
  body: string;
}

export const DEFAULT_INDEX_TTL_MS = 6 * 60 * 60 * 1000;

export function indexTtlFromEnv(env: NodeJS.ProcessEnv): number {
  return numberVariable(env, 'POLY_INDEX_TTL', DEFAULT_INDEX_TTL_MS / 1000) * 1000;
}

function cacheFile(layout: StoreLayout, url: string, accept?: string): string {
  const key = createHash('sha256')
    .update(`${accept ?? ''} ${url}`)
    .digest('hex')
    .slice(0, 32);
  return join(layout.cache, 'index', `${key}.json`);
}

function readCached(file: string): CachedDocument | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CachedDocument;
  } catch (err) {
    // Not cached yet, or a torn write: fetch it again.
    if (!(err instanceof SyntaxError)) expectErrno(err, ...NOT_THERE);
    return undefined;
  }
}

/** A FetchText that keeps each remote document under cache/index with a TTL. */
export function cachedFetchText(layout: StoreLayout, opts: IndexCacheOptions): FetchText {
  const now = opts.now ?? Date.now;
  const inFlight = new Map<string, Promise<string>>();
  return (url, accept) => {
    const key = `${accept ?? ''} ${url}`;
    const pending = inFlight.get(key);
    if (pending) return pending;
    const file = cacheFile(layout, url, accept);
    const run = async () => {
      const cached = readCached(file);
      if (opts.offline) {
        if (cached) return cached.body;
        throw new PolyError('OFFLINE_NO_CACHE', `offline, and ${url} was never fetched`, {
          hint: 'Run once without --offline (and without POLY_OFFLINE=1) to fill the cache, or pin a version that is installed.',
        });
      }
      if (cached && !opts.refresh && now() - cached.fetchedAt < opts.ttlMs) return cached.body;
      const body = await fetchTextWithRetries(url, opts.http, accept);
      try {
        writeFileAtomic(file, JSON.stringify({ url, fetchedAt: now(), body } satisfies CachedDocument));
      } catch (err) {
        throw storeError(err, layout, file);
      }
      return body;
    };
    const promise = run().finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
    return promise;
  };
}
