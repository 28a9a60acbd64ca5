/**
 * Rust as static.rust-lang.org lays it out. Mount `/rust` = POLY_RUST_MIRROR (rustup's
 * RUSTUP_DIST_SERVER):
 *   /rust/dist/channel-rust-{stable|1.95|1.95.0}.toml (+ .sha256, `<sha256>  <file>`)
 *   /rust/dist/rust-{V}-{triple}.tar.gz (+ .sha256)          the whole toolchain in one file
 *   /rust/dist/{date}/{pkg}-{V}-{triple}.tar.gz (+ .sha256)  what the channel manifest links to:
 *       rust (whole toolchain), rustc, cargo, rust-std, clippy, rustfmt
 * The manifest has [pkg.<name>] version and [pkg.<name>.target.<triple>] available/url/hash
 * (+ components for pkg.rust); it has no xz_url/xz_hash because only .tar.gz is served (a
 * manifest may omit them, as old ones do). Versions and date come from the rustup toolchain's
 * own copy of its channel manifest.
 * Archives: top folder `{pkg}-{V}-{triple}/` holding `components`, `rust-installer-version`,
 * `version`, `install.sh` (rust-install-sh.ts) and one folder per component with `manifest.in`.
 * The x86_64-linux archives are the rustup toolchain of this machine, without rust-docs; the
 * other triples are stubs (stub.ts).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'smol-toml';
import { type CachedFile, cachedFile } from './cache.js';
import { packTree } from './pack.js';
import { RUST_INSTALL_SH } from './rust-install-sh.js';
import { type ArchiveInfo, bytes, type MirrorPlatform, type RuntimeSite, shasumLine, text } from './site.js';
import { stubArchive } from './stub.js';

const run = promisify(execFile);
const HOST = 'x86_64-unknown-linux-gnu';
const TRIPLES: Record<MirrorPlatform, string> = {
  'linux-x64': HOST,
  'linux-arm64': 'aarch64-unknown-linux-gnu',
  'darwin-x64': 'x86_64-apple-darwin',
  'darwin-arm64': 'aarch64-apple-darwin',
};
/** Channel package -> archive file stem and the component folder inside the archive. */
const PACKAGES = [
  { pkg: 'rustc', stem: 'rustc', folder: () => 'rustc' },
  { pkg: 'cargo', stem: 'cargo', folder: () => 'cargo' },
  { pkg: 'rust-std', stem: 'rust-std', folder: (t: string) => `rust-std-${t}` },
  { pkg: 'clippy-preview', stem: 'clippy', folder: () => 'clippy-preview' },
  { pkg: 'rustfmt-preview', stem: 'rustfmt', folder: () => 'rustfmt-preview' },
] as const;

interface RustArchive {
  pkg: string;
  triple: string;
  name: string;
  sha256: string;
  size: number;
  served: { kind: 'file'; archive: CachedFile } | { kind: 'body'; body: Buffer };
}

function toolchainDir(): string {
  const home = process.env.RUSTUP_HOME || join(homedir(), '.rustup');
  const dir = join(home, 'toolchains', `stable-${HOST}`);
  if (!existsSync(join(dir, 'bin', 'rustc'))) throw new Error(`mirror: no rustup stable toolchain at ${dir}`);
  return dir;
}

/** Lays out the toolchain's components as the official archive does, hard-linked where it can. */
async function stage(toolchain: string, into: string, full: string): Promise<void> {
  const rustlib = join(toolchain, 'lib', 'rustlib');
  for (const { folder } of PACKAGES) {
    const name = folder(HOST);
    const installed = name.endsWith(HOST) ? name : `${name}-${HOST}`;
    const lines = (await readFile(join(rustlib, `manifest-${installed}`), 'utf8'))
      .split('\n')
      .filter(Boolean);
    await mkdir(join(into, name), { recursive: true });
    await writeFile(join(into, name, 'manifest.in'), `${lines.join('\n')}\n`);
    const paths = lines.map((l) => l.slice(l.indexOf(':') + 1));
    const copy = (link: boolean) =>
      run('cp', ['-a', ...(link ? ['--link'] : []), '--parents', ...paths, join(into, name)], {
        cwd: toolchain,
      });
    await copy(true).catch(() => copy(false));
  }
  await writeFile(join(into, 'components'), `${PACKAGES.map((p) => p.folder(HOST)).join('\n')}\n`);
  await writeFile(join(into, 'rust-installer-version'), '3\n');
  await writeFile(join(into, 'version'), `${full}\n`);
  await writeFile(join(into, 'install.sh'), RUST_INSTALL_SH);
  await chmod(join(into, 'install.sh'), 0o755);
}

/** Staging dirs of builders that were killed (their pid is gone). */
async function removeDeadStagings(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const pid = Number(/^staging-(\d+)-/.exec(name)?.[1]);
    if (!pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH')
        await rm(join(dir, name), { recursive: true, force: true });
    }
  }
}

/** Builds (or finds cached) the whole-toolchain archive and one archive per package, two at a time. */
async function buildArchives(cacheDir: string, toolchain: string, version: string, full: string) {
  const dir = join(cacheDir, 'rust');
  const top = `rust-${version}-${HOST}`;
  let staging: Promise<string> | undefined;
  // Staged once, only if some archive is missing; inside the cache so hard links to
  // ~/.rustup usually work (same file system).
  const staged = () => {
    staging ??= (async () => {
      await mkdir(dir, { recursive: true });
      await removeDeadStagings(dir);
      const at = await mkdtemp(join(dir, `staging-${process.pid}-`));
      await stage(toolchain, join(at, top), full);
      return at;
    })();
    return staging;
  };
  const jobs: (() => Promise<CachedFile>)[] = [
    () =>
      cachedFile(join(dir, `${top}.tar.gz`), async (tmp) =>
        packTree(tmp, [{ cwd: await staged(), paths: [top] }]),
      ),
    ...PACKAGES.map((p) => () => {
      const partTop = `${p.stem}-${version}-${HOST}`;
      return cachedFile(join(dir, `${partTop}.tar.gz`), async (tmp) => {
        const root = join(await staged(), top);
        const meta = join(await staged(), `meta-${p.stem}`);
        await mkdir(meta, { recursive: true });
        await writeFile(join(meta, 'components'), `${p.folder(HOST)}\n`);
        await packTree(
          tmp,
          [
            { cwd: meta, paths: ['components'] },
            { cwd: root, paths: ['rust-installer-version', 'version', 'install.sh', p.folder(HOST)] },
          ],
          { rename: [`s,^,${partTop}/,`] },
        );
      });
    }),
  ];
  const results: CachedFile[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) results[i] = await jobs[i]!();
  };
  try {
    await Promise.all([worker(), worker()]);
    return { whole: results[0]!, parts: results.slice(1) };
  } finally {
    if (staging) await rm(await staging, { recursive: true, force: true });
  }
}

export async function prepareRustSite(cacheDir: string): Promise<RuntimeSite> {
  const toolchain = toolchainDir();
  const channel = parse(
    await readFile(join(toolchain, 'lib', 'rustlib', 'multirust-channel-manifest.toml'), 'utf8'),
  ) as { date: string; pkg: Record<string, { version: string }> };
  const full = channel.pkg.rust!.version; // "1.95.0 (59807616e 2026-04-14)"
  const version = full.split(' ')[0]!;
  const date = channel.date;
  const { whole, parts } = await buildArchives(cacheDir, toolchain, version, full);

  const archives: RustArchive[] = [];
  const all = [{ pkg: 'rust', stem: 'rust', folder: () => '' }, ...PACKAGES];
  for (const p of all) {
    for (const triple of Object.values(TRIPLES)) {
      const name = `${p.stem}-${version}-${triple}.tar.gz`;
      if (triple === HOST) {
        const archive = p.pkg === 'rust' ? whole : parts[PACKAGES.findIndex((q) => q.pkg === p.pkg)]!;
        archives.push({ pkg: p.pkg, triple, name, ...archive, served: { kind: 'file', archive } });
      } else {
        const stub = stubArchive(
          `${p.stem}-${version}-${triple}`,
          ['install.sh'],
          `${p.pkg} ${version} ${triple}`,
        );
        archives.push({ pkg: p.pkg, triple, name, ...stub, served: { kind: 'body', body: stub.body } });
      }
    }
  }

  const manifest = (base: string) => {
    const pkg: Record<string, unknown> = {};
    for (const p of all) {
      const target: Record<string, unknown> = {};
      for (const a of archives.filter((x) => x.pkg === p.pkg)) {
        target[a.triple] = {
          available: true,
          url: `${base}/dist/${date}/${a.name}`,
          hash: a.sha256,
          ...(p.pkg === 'rust'
            ? { components: PACKAGES.map((c) => ({ pkg: c.pkg, target: a.triple })), extensions: [] }
            : {}),
        };
      }
      pkg[p.pkg] = { version: channel.pkg[p.pkg]?.version ?? full, target };
    }
    const body = stringify({
      'manifest-version': '2',
      date,
      pkg,
      renames: { clippy: { to: 'clippy-preview' }, rustfmt: { to: 'rustfmt-preview' } },
    });
    return Buffer.from(`${body}\n`);
  };
  const minor = version.split('.').slice(0, 2).join('.');
  const channels = ['stable', version, minor].map((c) => `channel-rust-${c}.toml`);

  return {
    runtime: 'rust',
    prefix: '/rust',
    versions: [version],
    archives: (base) =>
      archives
        .filter((a) => a.pkg === 'rust')
        .map(
          (a): ArchiveInfo => ({
            runtime: 'rust',
            version,
            platform:
              (Object.entries(TRIPLES).find(([, t]) => t === a.triple)![0] as MirrorPlatform) ?? 'linux-x64',
            url: `${base}/dist/${a.name}`,
            sha256: a.sha256,
            size: a.size,
            real: a.served.kind === 'file',
            file: a.served.kind === 'file' ? a.served.archive.path : undefined,
          }),
        ),
    handler: (base) => {
      const toml = manifest(base);
      const tomlSha = createSha(toml);
      return (path) => {
        const match = /^\/dist\/(?:(\d{4}-\d{2}-\d{2})\/)?([^/]+?)(\.sha256)?$/.exec(path);
        if (!match || (match[1] && match[1] !== date)) return undefined;
        const [, , name, sha] = match;
        if (channels.includes(name!) && !match[1])
          return sha ? text(shasumLine(tomlSha, name!)) : bytes(toml, 'application/toml');
        const archive = archives.find((a) => a.name === name);
        if (!archive) return undefined;
        if (sha) return text(shasumLine(archive.sha256, archive.name));
        return archive.served.kind === 'file'
          ? { kind: 'file', ...archive.served.archive }
          : bytes(archive.served.body);
      };
    },
  };
}

function createSha(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}
