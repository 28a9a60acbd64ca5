/**
 * Valkey's official download layout on 127.0.0.1 (POLY_VALKEY_MIRROR is `{url}/valkey/releases`):
 *   {url}/valkey/releases/valkey-<v>-jammy-<x86_64|arm64>.tar.gz   top folder valkey-<v>-jammy-<arch>/bin/
 *   {url}/valkey/releases/valkey-<v>-jammy-<arch>.tar.gz.sha256    "<sha256>  <name>"
 *   {url}/valkey/releases.json   the GitHub releases JSON of valkey-io/valkey (POLY_VALKEY_INDEX_URL)
 * x86_64 is this machine's REAL server: Debian's redis-server (Valkey's upstream; same protocol)
 * repacked as bin/valkey-server and bin/valkey-cli, under Debian's version number; arm64 is a stub.
 * The archive is built once into the mirror cache, byte for byte reproducible (sorted, mtime 0, gzip -n).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { mirrorCacheDir } from './cache.js';
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

function buildArchive(version: string): string {
  const dir = join(mirrorCacheDir(), 'valkey');
  const name = `valkey-${version}-jammy-x86_64`;
  const archive = join(dir, `${name}.tar.gz`);
  if (existsSync(archive)) return archive;
  const staging = join(dir, `.build-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, name, 'bin'), { recursive: true });
  copyFileSync(
    realpathSync(execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim()),
    join(staging, name, 'bin', 'valkey-server'),
  );
  copyFileSync(
    realpathSync(execFileSync('sh', ['-c', 'command -v redis-cli'], { encoding: 'utf8' }).trim()),
    join(staging, name, 'bin', 'valkey-cli'),
  );
  const tar = join(staging, 'out.tar');
  execFileSync('tar', [
    '-cf',
    tar,
    '--sort=name',
    '--mtime=@0',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '-C',
    staging,
    name,
  ]);
  execFileSync('gzip', ['-n', '-9', tar]);
  renameSync(`${tar}.gz`, archive);
  rmSync(staging, { recursive: true, force: true });
  return archive;
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
