/**
 * Go as go.dev/dl lays it out. Mount `/go`; POLY_GO_MIRROR = `{url}/go/dl/` (the go.dev/dl/
 * equivalent, trailing slash included as the official URL has it).
 *   /go/dl/?mode=json[&include=all]    JSON index: [{version: "go1.26.8", stable, files: [{filename,
 *                                      os, arch, version, sha256, size, kind: "archive"}]}]
 *   /go/dl/                            (no mode=json) a small HTML page, as go.dev/dl/ is HTML
 *   /go/dl/{file}, /go/dl/{file}.sha256    302 to /go/dl-files/{file}[.sha256], as go.dev/dl/{file}
 *                                      redirects to dl.google.com/go/{file}; a client must follow it
 *   /go/dl-files/{file}                the archive: go{V}.{linux|darwin}-{amd64|arm64}.tar.gz, top folder go/
 *   /go/dl-files/{file}.sha256         the bare hex digest, as dl.google.com writes it
 * The linux-amd64 archive is the Go toolchain installed here; other platforms are stubs (stub.ts).
 */
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type CachedFile, cachedFile } from './cache.js';
import { packTree } from './pack.js';
import { type ArchiveInfo, bytes, json, type MirrorPlatform, type RuntimeSite, text } from './site.js';
import { stubArchive } from './stub.js';

const GO_PLATFORMS: Record<MirrorPlatform, { os: string; arch: string }> = {
  'linux-x64': { os: 'linux', arch: 'amd64' },
  'linux-arm64': { os: 'linux', arch: 'arm64' },
  'darwin-x64': { os: 'darwin', arch: 'amd64' },
  'darwin-arm64': { os: 'darwin', arch: 'arm64' },
};

interface GoFile {
  platform: MirrorPlatform;
  filename: string;
  sha256: string;
  size: number;
  served: { kind: 'file'; archive: CachedFile } | { kind: 'body'; body: Buffer };
}

/** GOROOT of the go on PATH (POLY_MIRROR_GOROOT overrides), falling back to /usr/local/go. */
function findGoroot(): string {
  if (process.env.POLY_MIRROR_GOROOT) return process.env.POLY_MIRROR_GOROOT;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      return dirname(dirname(realpathSync(join(dir, 'go'))));
    } catch {}
  }
  return '/usr/local/go';
}

export async function prepareGoSite(cacheDir: string): Promise<RuntimeSite> {
  const goroot = findGoroot();
  const goVersion = (await readFile(join(goroot, 'VERSION'), 'utf8')).split('\n')[0]!.trim(); // "go1.26.8"
  const version = goVersion.replace(/^go/, '');
  const top = basename(goroot);
  const archiveName = `${goVersion}.linux-amd64.tar.gz`;
  const archive = await cachedFile(join(cacheDir, 'go', archiveName), (tmp) =>
    packTree(tmp, [{ cwd: dirname(goroot), paths: [top] }], {
      rename: top === 'go' ? [] : [`s,^${top}\\(/\\|$\\),go\\1,`],
    }),
  );
  const files: GoFile[] = Object.entries(GO_PLATFORMS).map(([platform, { os, arch }]) => {
    const filename = `${goVersion}.${os}-${arch}.tar.gz`;
    if (platform === 'linux-x64')
      return {
        platform,
        filename,
        sha256: archive.sha256,
        size: archive.size,
        served: { kind: 'file', archive },
      };
    const stub = stubArchive('go', ['bin/go', 'bin/gofmt'], `Go ${version} ${os}-${arch}`);
    return {
      platform: platform as MirrorPlatform,
      filename,
      sha256: stub.sha256,
      size: stub.size,
      served: { kind: 'body', body: stub.body },
    };
  });
  const index = [
    {
      version: goVersion,
      stable: true,
      files: files.map((f) => ({
        filename: f.filename,
        os: GO_PLATFORMS[f.platform].os,
        arch: GO_PLATFORMS[f.platform].arch,
        version: goVersion,
        sha256: f.sha256,
        size: f.size,
        kind: 'archive',
      })),
    },
  ];

  return {
    runtime: 'go',
    prefix: '/go',
    versions: [version],
    archives: (base) =>
      files.map(
        (f): ArchiveInfo => ({
          runtime: 'go',
          version,
          platform: f.platform,
          url: `${base}/dl/${f.filename}`,
          sha256: f.sha256,
          size: f.size,
          real: f.served.kind === 'file',
          file: f.served.kind === 'file' ? f.served.archive.path : undefined,
        }),
      ),
    handler: (base) => (path, query) => {
      if (path === '/dl' || path === '/dl/') {
        if (query.get('mode') === 'json') return json(index);
        const links = files.map((f) => `<a href="/dl/${f.filename}">${f.filename}</a>`).join('\n');
        return text(`<!doctype html><title>Downloads</title>\n${links}\n`, 'text/html; charset=utf-8');
      }
      const redirect = /^\/dl\/([^/]+)$/.exec(path);
      if (redirect && files.some((f) => redirect[1] === f.filename || redirect[1] === `${f.filename}.sha256`))
        return { kind: 'redirect', location: `${base}/dl-files/${redirect[1]}` };
      const direct = /^\/dl-files\/([^/]+)$/.exec(path);
      if (!direct) return undefined;
      for (const f of files) {
        if (direct[1] === `${f.filename}.sha256`) return text(f.sha256);
        if (direct[1] === f.filename)
          return f.served.kind === 'file' ? { kind: 'file', ...f.served.archive } : bytes(f.served.body);
      }
      return undefined;
    },
  };
}
