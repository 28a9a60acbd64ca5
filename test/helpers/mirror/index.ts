/**
 * A local mirror of the official toolchain hosts on 127.0.0.1, for tests and demos where those
 * hosts cannot be reached. It serves exactly the official layouts (shared/reference/
 * distributions.md) and the archives are the REAL toolchains of this machine repacked into the
 * official archive layout (real sha256), so what poly installs from it runs.
 *
 *   const mirror = await startMirror();            // builds archives on first use, then cached
 *   execa('poly', ['install'], { env: { ...process.env, ...mirror.env } });
 *   mirror.inject({ path: '.tar.gz', kind: 'status', status: 500, times: 2 });
 *   await mirror.close();
 *
 * URL layout (each base is what the matching POLY_*_MIRROR variable gets):
 *   node    {url}/node/dist                 = https://nodejs.org/dist                (node.ts)
 *   go      {url}/go/dl/                    = https://go.dev/dl/ (archives redirect)  (go.ts)
 *   python  {url}/python/releases/download  = .../python-build-standalone/releases/download (python.ts)
 *           {url}/python/download-metadata.json (POLY_PYTHON_INDEX_URL, uv's format)
 *   java    {url}/java                      = https://api.adoptium.net               (java.ts)
 *   rust    {url}/rust                      = https://static.rust-lang.org           (rust.ts)
 */

import { mirrorCacheDir } from './cache.js';
import { type FaultHandle, type FaultRule, FaultTable } from './faults.js';
import { prepareGoSite } from './go.js';
import { prepareJavaSite } from './java.js';
import { type NodeBuildOptions, prepareNodeSite } from './node.js';
import { type PythonBuildOptions, preparePythonSite } from './python.js';
import { prepareRustSite } from './rust.js';
import { type RequestRecord, startHttpMirror } from './server.js';
import { type ArchiveInfo, bytes, type MirrorRuntime, type RuntimeSite } from './site.js';

export type { ArchiveInfo, FaultHandle, FaultRule, MirrorRuntime, RequestRecord };
export { FaultTable };

export const ALL_MIRROR_RUNTIMES: readonly MirrorRuntime[] = ['node', 'python', 'go', 'java', 'rust'];

export interface MirrorOptions {
  /** Runtimes to build and serve (default: all five). The others answer 404. */
  runtimes?: readonly MirrorRuntime[];
  /** Cache of built archives (default: mirrorCacheDir(), honouring POLY_TEST_CACHE). */
  cacheDir?: string;
  node?: NodeBuildOptions;
  python?: PythonBuildOptions;
  /** Extra files served as they are, by absolute path (e.g. an evil archive at `/evil/escape.tar.gz`). */
  files?: Record<string, Buffer | string>;
  /** Port to listen on (default: an ephemeral one). */
  port?: number;
}

export interface MirrorUrls {
  node: string;
  python: string;
  pythonIndex: string;
  go: string;
  java: string;
  rust: string;
}

export type MirrorVersions = Record<MirrorRuntime, string[]>;

export interface Mirror {
  /** `http://127.0.0.1:<port>` */
  url: string;
  urls: MirrorUrls;
  /** POLY_NODE_MIRROR, POLY_PYTHON_MIRROR, POLY_PYTHON_INDEX_URL, POLY_GO_MIRROR, POLY_JAVA_MIRROR, POLY_RUST_MIRROR. */
  env: Record<string, string>;
  /** Versions served per runtime, newest first (empty for runtimes not served). */
  versions: MirrorVersions;
  /** Every archive served, all platforms, with the URL and sha256 its index gives. */
  archives: ArchiveInfo[];
  /** Every request so far, in order (live). */
  requests: RequestRecord[];
  /** Adds a fault rule (newest rules are checked first). */
  inject(rule: FaultRule): FaultHandle;
  clearFaults(): void;
  close(): Promise<void>;
}

const PREFIXES: Record<MirrorRuntime, string> = {
  node: '/node/dist',
  go: '/go',
  python: '/python',
  java: '/java',
  rust: '/rust',
};

async function prepareSite(
  runtime: MirrorRuntime,
  cacheDir: string,
  options: MirrorOptions,
): Promise<RuntimeSite> {
  switch (runtime) {
    case 'node':
      return prepareNodeSite(cacheDir, options.node);
    case 'go':
      return prepareGoSite(cacheDir);
    case 'java':
      return prepareJavaSite(cacheDir);
    case 'python':
      return preparePythonSite(cacheDir, options.python);
    case 'rust':
      return prepareRustSite(cacheDir);
  }
}

/** Builds (or finds in the cache) every archive the given runtimes need, without serving. */
export async function prepareMirror(options: MirrorOptions = {}): Promise<RuntimeSite[]> {
  const cacheDir = options.cacheDir ?? mirrorCacheDir();
  const runtimes = options.runtimes ?? ALL_MIRROR_RUNTIMES;
  // Two builds at a time: the machine has 2 cores and each build is one tar + one gzip.
  const sites: RuntimeSite[] = [];
  const queue = [...runtimes];
  const failures: unknown[] = [];
  // A failed build does not stop the other worker mid-build (its temp files would stay behind).
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift())
      await prepareSite(next, cacheDir, options).then(
        (site) => sites.push(site),
        (error: unknown) => failures.push(error),
      );
  };
  await Promise.all([worker(), worker()]);
  if (failures.length > 0) throw failures[0];
  return runtimes.map((r) => sites.find((s) => s.runtime === r)!);
}

export async function startMirror(options: MirrorOptions = {}): Promise<Mirror> {
  const sites = await prepareMirror(options);
  const extra = Object.entries(options.files ?? {}).map(([path, body]) => ({
    prefix: path,
    handler: () => (rest: string) =>
      rest === '/' ? bytes(Buffer.from(body), 'application/octet-stream') : undefined,
  }));
  const http = await startHttpMirror(
    [
      ...extra,
      ...sites.map((site) => ({ prefix: site.prefix, handler: (base: string) => site.handler(base) })),
    ],
    '127.0.0.1',
    options.port ?? 0,
  );
  const base = (runtime: MirrorRuntime) => `${http.url}${PREFIXES[runtime]}`;
  const urls: MirrorUrls = {
    node: base('node'),
    python: `${base('python')}/releases/download`,
    pythonIndex: `${base('python')}/download-metadata.json`,
    go: `${base('go')}/dl/`,
    java: base('java'),
    rust: base('rust'),
  };
  const versions = Object.fromEntries(
    ALL_MIRROR_RUNTIMES.map((r) => [r, sites.find((s) => s.runtime === r)?.versions ?? []]),
  ) as MirrorVersions;
  return {
    url: http.url,
    urls,
    env: {
      POLY_NODE_MIRROR: urls.node,
      POLY_PYTHON_MIRROR: urls.python,
      POLY_PYTHON_INDEX_URL: urls.pythonIndex,
      POLY_GO_MIRROR: urls.go,
      POLY_JAVA_MIRROR: urls.java,
      POLY_RUST_MIRROR: urls.rust,
    },
    versions,
    archives: sites.flatMap((site) => site.archives(`${http.url}${site.prefix}`)),
    requests: http.requests,
    inject: (rule) => http.faults.add(rule),
    clearFaults: () => http.faults.clear(),
    close: () => http.close(),
  };
}

export { mirrorCacheDir } from './cache.js';
export { type EvilArchive, type EvilArchiveKind, evilArchives } from './evil.js';
