/**
 * CPython as python-build-standalone publishes it (the builds uv and mise install). Mount `/python`:
 *   /python/releases/download/{YYYYMMDD}/cpython-{V}+{YYYYMMDD}-{triple}-install_only.tar.gz
 *   /python/releases/download/{YYYYMMDD}/SHA256SUMS      `<sha256>  <asset>` per asset
 *   /python/download-metadata.json                        uv's index, keyed `cpython-3.12.1-linux-x86_64-gnu`
 * POLY_PYTHON_MIRROR = `{url}/python/releases/download` (the GitHub releases/download prefix, as
 * UV_PYTHON_INSTALL_MIRROR replaces it); POLY_PYTHON_INDEX_URL = the metadata file, whose URLs
 * point at this mirror and write `+` as `%2B` like uv's. The server accepts both spellings.
 *
 * The x86_64-linux archives are the pyenv CPythons of this machine (newest patch of each minor
 * asked for), made relocatable the way python-build-standalone's are, because pyenv's are not:
 * - pyenv links with an absolute RUNPATH to its prefix; it is rewritten to `$ORIGIN`-relative
 *   paths (elf-runpath.ts) in bin/, lib/ and lib-dynload, so libpython loads from the unpacked copy;
 * - bin/ scripts with a `#!<prefix>/bin/python3.X` shebang (pip, pip3, idle, pydoc...) get the
 *   same /bin/sh trampoline python-build-standalone writes, which runs the python beside the script;
 * - the test suite, the static libpython and every site-package but pip are left out (pyenv's
 *   site-packages here hold whatever was pip-installed into it).
 * Left as built: bin/python3.X-config, lib/pkgconfig and the sysconfig data still name the pyenv
 * prefix; they only matter for compiling C extensions against this Python.
 * Other platforms are stubs (stub.ts). All archives of one mirror share one release tag.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { type CachedFile, cachedFile } from './cache.js';
import { isElf, rewriteRunpath } from './elf-runpath.js';
import { copyTree, packTree } from './pack.js';
import {
  type ArchiveInfo,
  bytes,
  json,
  type MirrorPlatform,
  type RuntimeSite,
  shasumLine,
  text,
} from './site.js';
import { stubArchive } from './stub.js';

/** python-build-standalone's release that shipped 3.12.1 and 3.11.7. */
export const PYTHON_RELEASE_TAG = '20240107';

const TARGETS: {
  platform: MirrorPlatform;
  triple: string;
  key: string;
  os: string;
  family: string;
  libc: string;
}[] = [
  {
    platform: 'linux-x64',
    triple: 'x86_64-unknown-linux-gnu',
    key: 'linux-x86_64-gnu',
    os: 'linux',
    family: 'x86_64',
    libc: 'gnu',
  },
  {
    platform: 'linux-arm64',
    triple: 'aarch64-unknown-linux-gnu',
    key: 'linux-aarch64-gnu',
    os: 'linux',
    family: 'aarch64',
    libc: 'gnu',
  },
  {
    platform: 'darwin-x64',
    triple: 'x86_64-apple-darwin',
    key: 'darwin-x86_64-none',
    os: 'darwin',
    family: 'x86_64',
    libc: 'none',
  },
  {
    platform: 'darwin-arm64',
    triple: 'aarch64-apple-darwin',
    key: 'darwin-aarch64-none',
    os: 'darwin',
    family: 'aarch64',
    libc: 'none',
  },
];

interface PythonAsset {
  target: (typeof TARGETS)[number];
  name: string;
  sha256: string;
  size: number;
  served: { kind: 'file'; archive: CachedFile } | { kind: 'body'; body: Buffer };
}

interface PythonRelease {
  version: string;
  assets: PythonAsset[];
}

export interface PythonBuildOptions {
  /** Minors to serve, newest patch of each from pyenv (default ["3.12", "3.11"]). */
  minors?: string[];
}

function pyenvVersions(): string {
  return join(process.env.PYENV_ROOT || join(homedir(), '.pyenv'), 'versions');
}

async function newestPatch(minor: string): Promise<string> {
  const names = (await readdir(pyenvVersions()).catch(() => [] as string[])).filter((n) =>
    new RegExp(`^${minor.replace('.', '\\.')}\\.\\d+$`).test(n),
  );
  const best = names.sort((a, b) => Number(b.split('.')[2]) - Number(a.split('.')[2]))[0];
  if (!best) throw new Error(`mirror: no CPython ${minor}.x in ${pyenvVersions()}`);
  return best;
}

const TRAMPOLINE = (python: string) =>
  `#!/bin/sh\n'''exec' "$(dirname -- "$(realpath -- "$0")")"/'${python}' "$0" "$@"\n' '''\n`;

/** Copies the pyenv prefix into `dest` without tests, static lib and third-party packages. */
async function copyTrimmed(prefix: string, dest: string, minor: string): Promise<void> {
  const lib = `lib/python${minor}`;
  await mkdir(dest, { recursive: true });
  const exclude = [`./${lib}/test`, `./${lib}/site-packages`, `./${lib}/config-${minor}-*/*.a`, './lib/*.a'];
  await copyTree(prefix, dest, exclude);
  // Entry points of the dropped site-packages would be dangling: keep CPython's own.
  for (const name of await readdir(join(dest, 'bin')))
    if (!/^(2to3|idle|pip|pydoc|python)/.test(name)) await rm(join(dest, 'bin', name), { recursive: true });
  await mkdir(join(dest, lib, 'site-packages'));
  for (const name of await readdir(join(prefix, lib, 'site-packages'))) {
    if (name === 'pip' || /^pip-[\d.]+\.dist-info$/.test(name) || name === 'README.txt')
      await cp(join(prefix, lib, 'site-packages', name), join(dest, lib, 'site-packages', name), {
        recursive: true,
      });
  }
}

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

/** Makes the copy at `root` independent of `prefix`, as python-build-standalone builds are. */
async function relocate(root: string, prefix: string, minor: string): Promise<void> {
  for (const dir of [join(root, 'bin'), join(root, 'lib')]) {
    for await (const path of files(dir)) {
      if (!(await isElf(path))) continue;
      const fromDir = relative(dirname(path), join(root, 'lib'));
      await rewriteRunpath(path, (old) =>
        old
          .split(':')
          .map((entry) => (entry === `${prefix}/lib` ? (fromDir ? `$ORIGIN/${fromDir}` : '$ORIGIN') : entry))
          .join(':'),
      );
    }
  }
  for (const name of await readdir(join(root, 'bin'))) {
    const path = join(root, 'bin', name);
    const head = await readFile(path).catch(() => undefined);
    const firstLine = head?.subarray(0, 512).toString('utf8').split('\n')[0] ?? '';
    const shebang = new RegExp(`^#!${prefix.replace(/[.]/g, '\\.')}/bin/(python[\\d.]*)$`).exec(firstLine);
    if (!head || !shebang) continue;
    const rest = head.toString('utf8').slice(firstLine.length + 1);
    await writeFile(path, TRAMPOLINE(shebang[1] === 'python' ? `python${minor}` : shebang[1]!) + rest);
  }
}

async function buildArchive(cacheDir: string, version: string, name: string): Promise<CachedFile> {
  const minor = version.split('.').slice(0, 2).join('.');
  const prefix = join(pyenvVersions(), version);
  return cachedFile(join(cacheDir, 'python', name), async (tmp) => {
    const staging = await mkdtemp(join(tmpdir(), 'poly-mirror-python-'));
    try {
      await copyTrimmed(prefix, join(staging, 'python'), minor);
      await relocate(join(staging, 'python'), prefix, minor);
      await packTree(tmp, [{ cwd: staging, paths: ['python'] }]);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });
}

async function buildRelease(cacheDir: string, minor: string): Promise<PythonRelease> {
  const version = await newestPatch(minor);
  const assets: PythonAsset[] = [];
  for (const target of TARGETS) {
    const name = `cpython-${version}+${PYTHON_RELEASE_TAG}-${target.triple}-install_only.tar.gz`;
    if (target.platform === 'linux-x64') {
      const archive = await buildArchive(cacheDir, version, name);
      assets.push({
        target,
        name,
        sha256: archive.sha256,
        size: archive.size,
        served: { kind: 'file', archive },
      });
    } else {
      const stub = stubArchive(
        'python',
        ['bin/python3', `bin/python${minor}`],
        `CPython ${version} ${target.triple}`,
      );
      assets.push({
        target,
        name,
        sha256: stub.sha256,
        size: stub.size,
        served: { kind: 'body', body: stub.body },
      });
    }
  }
  return { version, assets };
}

const assetUrl = (downloadBase: string, asset: PythonAsset) =>
  `${downloadBase}/${PYTHON_RELEASE_TAG}/${asset.name.replace('+', '%2B')}`;

function metadata(releases: PythonRelease[], downloadBase: string) {
  const entries: [string, unknown][] = [];
  for (const release of releases) {
    const [major, minor, patch] = release.version.split('.').map(Number);
    for (const asset of release.assets) {
      entries.push([
        `cpython-${release.version}-${asset.target.key}`,
        {
          name: 'cpython',
          arch: { family: asset.target.family, variant: null },
          os: asset.target.os,
          libc: asset.target.libc,
          major,
          minor,
          patch,
          prerelease: '',
          url: assetUrl(downloadBase, asset),
          sha256: asset.sha256,
          variant: null,
          build: PYTHON_RELEASE_TAG,
        },
      ]);
    }
  }
  return Object.fromEntries(entries);
}

export async function preparePythonSite(
  cacheDir: string,
  options: PythonBuildOptions = {},
): Promise<RuntimeSite> {
  const minors = options.minors ?? ['3.12', '3.11'];
  const releases: PythonRelease[] = [];
  for (const minor of minors) releases.push(await buildRelease(cacheDir, minor));
  releases.sort((a, b) => Number(b.version.split('.')[1]) - Number(a.version.split('.')[1]));
  const all = releases.flatMap((r) => r.assets.map((asset) => ({ release: r, asset })));
  return {
    runtime: 'python',
    prefix: '/python',
    versions: releases.map((r) => r.version),
    archives: (base) =>
      all.map(
        ({ release, asset }): ArchiveInfo => ({
          runtime: 'python',
          version: release.version,
          platform: asset.target.platform,
          url: assetUrl(`${base}/releases/download`, asset),
          sha256: asset.sha256,
          size: asset.size,
          real: asset.served.kind === 'file',
          file: asset.served.kind === 'file' ? asset.served.archive.path : undefined,
        }),
      ),
    handler: (base) => (path) => {
      if (path === '/download-metadata.json') return json(metadata(releases, `${base}/releases/download`));
      const match = /^\/releases\/download\/([^/]+)\/([^/]+)$/.exec(path);
      if (!match || match[1] !== PYTHON_RELEASE_TAG) return undefined;
      if (match[2] === 'SHA256SUMS')
        return text(
          all
            .map(({ asset }) => shasumLine(asset.sha256, asset.name))
            .sort((a, b) => a.slice(66).localeCompare(b.slice(66)))
            .join(''),
        );
      const found = all.find(({ asset }) => asset.name === match[2]);
      if (!found) return undefined;
      const { served } = found.asset;
      return served.kind === 'file' ? { kind: 'file', ...served.archive } : bytes(served.body);
    },
  };
}
