/**
 * Valkey's official download layout on 127.0.0.1 (POLY_VALKEY_MIRROR is `{url}/valkey/releases`):
 *   {url}/valkey/releases/valkey-<v>-jammy-<x86_64|arm64>.tar.gz   top folder valkey-<v>-jammy-<arch>/bin/
 *   {url}/valkey/releases/valkey-<v>-jammy-<arch>.tar.gz.sha256    "<sha256>  <name>"
 *   {url}/valkey/releases.json   the GitHub releases JSON of valkey-io/valkey (POLY_VALKEY_INDEX_URL)
 * x86_64 is this machine's REAL server: Debian's redis-server (Valkey's upstream; same protocol)
 * repacked as bin/valkey-server and bin/valkey-cli, under Debian's version number; arm64 is a stub.
 * The archive is built once into the mirror cache, byte for byte reproducible (repack.ts).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mirrorCacheDir } from './cache.js';
import { repackOnce } from './repack.js';
import { type HttpMirror, startHttpMirror } from './server.js';
import { bytes, json, type Served, text } from './site.js';

export interface ValkeyMirror extends Pick<HttpMirror, 'requests' | 'faults' | 'close'> {
  env: { POLY_VALKEY_MIRROR: string; POLY_VALKEY_INDEX_URL: string };
  version: string;
}

/** Debian's redis-server version ("7.0.15"), or undefined when it is not installed. */
export function debianRedisVersion(): string | undefined {
  try {
    return /v=(\d+\.\d+\.\d+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1];
  } catch {
    return undefined;
  }
}

/** Debian's redis-server and redis-cli as valkey-server and valkey-cli, built once into the cache. */
function buildArchive(version: string): string {
  const which = (name: string) =>
    realpathSync(execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim());
  return repackOnce(
    join(mirrorCacheDir(), 'valkey'),
    `valkey-${version}-jammy-x86_64`,
    (top) => {
      mkdirSync(join(top, 'bin'));
      copyFileSync(which('redis-server'), join(top, 'bin', 'valkey-server'));
      copyFileSync(which('redis-cli'), join(top, 'bin', 'valkey-cli'));
    },
    9,
  );
}

export async function startValkeyMirror(): Promise<ValkeyMirror> {
  const version = debianRedisVersion();
  if (!version) throw new Error('redis-server is not installed (apt-get install redis-server)');
  const archive = buildArchive(version);
  const sha = (body: Buffer) => createHash('sha256').update(body).digest('hex');
  const files = new Map<string, Served>();
  const real = `valkey-${version}-jammy-x86_64.tar.gz`;
  const stub = `valkey-${version}-jammy-arm64.tar.gz`;
  const stubBody = Buffer.from(`stub ${stub}\n`);
  files.set(`/releases/${real}`, {
    kind: 'file',
    path: archive,
    size: statSync(archive).size,
    contentType: 'application/gzip',
  });
  files.set(`/releases/${real}.sha256`, text(`${sha(readFileSync(archive))}  ${real}\n`));
  files.set(`/releases/${stub}`, bytes(stubBody));
  files.set(`/releases/${stub}.sha256`, text(`${sha(stubBody)}  ${stub}\n`));
  files.set('/releases.json', json([{ tag_name: version, prerelease: false, draft: false }]));
  const http = await startHttpMirror([{ prefix: '/valkey', handler: () => (path) => files.get(path) }]);
  return {
    env: {
      POLY_VALKEY_MIRROR: `${http.url}/valkey/releases`,
      POLY_VALKEY_INDEX_URL: `${http.url}/valkey/releases.json`,
    },
    version,
    requests: http.requests,
    faults: http.faults,
    close: () => http.close(),
  };
}
