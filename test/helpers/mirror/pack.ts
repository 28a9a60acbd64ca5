/**
 * Two ways to make a .tar.gz:
 * - `packTree`: GNU tar piped to `gzip -1` for the real toolchains (hundreds of MB; the
 *   system tools are the fastest thing here and stream without holding anything in memory).
 *   Member names are rewritten with GNU tar's --transform so a toolchain installed at
 *   /usr/local/go becomes `go/...` without copying it first.
 * - `tarGz`: a tiny in-memory ustar writer for small archives whose every header we must
 *   control (stub platform archives, and evil archives with `../` names or links out).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';

export interface TreePart {
  /** Directory the paths are relative to (tar -C). */
  cwd: string;
  /** Paths under cwd to add, recursively. */
  paths: string[];
}

export interface PackTreeOptions {
  /** sed expressions for member names, e.g. `s,^go/,go/,` (applied to names and hard link targets, never to symlink targets). */
  rename?: string[];
  /** GNU tar --exclude patterns. */
  exclude?: string[];
  /** Store what symlinks point to instead of the links (for trees whose links point outside). */
  dereference?: boolean;
}

function waitExit(child: ReturnType<typeof spawn>, what: string, stderr: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${what} exited with ${code}: ${stderr().slice(-2000)}`));
    });
  });
}

/**
 * Writes `out` as a gzip (level 1) tar of the given parts, in order. GNU tar fails with "file
 * changed as we read it" when something touches a source file mid-read (other processes share
 * this machine): that is retried, since the next read is consistent.
 */
export async function packTree(out: string, parts: TreePart[], options: PackTreeOptions = {}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await packTreeOnce(out, parts, options);
    } catch (error) {
      if (attempt >= 3 || !/file changed as we read it/.test(String(error))) throw error;
    }
  }
}

async function packTreeOnce(out: string, parts: TreePart[], options: PackTreeOptions): Promise<void> {
  const args = ['-c', '--owner=0', '--group=0', '--numeric-owner'];
  if (options.dereference) args.push('--dereference');
  for (const pattern of options.exclude ?? []) args.push(`--exclude=${pattern}`);
  for (const expr of options.rename ?? []) args.push(`--transform=flags=rh;${expr}`);
  for (const part of parts) args.push('-C', part.cwd, ...part.paths);
  args.push('-f', '-');

  const tar = spawn('tar', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const gzip = spawn('gzip', ['-1', '-c'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let tarErr = '';
  let gzipErr = '';
  tar.stderr.on('data', (d: Buffer) => {
    tarErr += d.toString();
  });
  gzip.stderr.on('data', (d: Buffer) => {
    gzipErr += d.toString();
  });
  tar.stdout.pipe(gzip.stdin);
  await Promise.all([
    waitExit(tar, 'tar', () => tarErr),
    waitExit(gzip, 'gzip', () => gzipErr),
    pipeline(gzip.stdout, createWriteStream(out)),
  ]);
}

export interface TarEntry {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  body?: string | Buffer;
  mode?: number;
  /** Target of a symlink or hard link. */
  linkname?: string;
}

const TYPE_FLAGS = { file: '0', hardlink: '1', symlink: '2', dir: '5' } as const;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(512);
  const type = entry.type ?? 'file';
  if (Buffer.byteLength(entry.name) > 100)
    throw new Error(`tar name too long for this writer: ${entry.name}`);
  block.write(entry.name, 0, 100, 'utf8');
  block.write(octal(entry.mode ?? (type === 'dir' ? 0o755 : 0o644), 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(1_700_000_000, 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(TYPE_FLAGS[type], 156, 'ascii');
  if (entry.linkname) block.write(entry.linkname, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

/** An uncompressed ustar archive of exactly these entries, in order, names untouched. */
export function tarBuffer(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body =
      entry.type === undefined || entry.type === 'file' ? Buffer.from(entry.body ?? '') : Buffer.alloc(0);
    blocks.push(header(entry, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function tarGz(entries: TarEntry[]): Buffer {
  return gzipSync(tarBuffer(entries), { level: 1 });
}

/** Copies `src` into `dest` (which must exist) with GNU tar, leaving out the --exclude patterns. */
export async function copyTree(src: string, dest: string, exclude: string[] = []): Promise<void> {
  const pack = spawn('tar', ['-C', src, '-cf', '-', ...exclude.map((p) => `--exclude=${p}`), '.'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const unpack = spawn('tar', ['-C', dest, '-xf', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let packErr = '';
  let unpackErr = '';
  pack.stderr.on('data', (d: Buffer) => {
    packErr += d.toString();
  });
  unpack.stderr.on('data', (d: Buffer) => {
    unpackErr += d.toString();
  });
  pack.stdout.pipe(unpack.stdin);
  await Promise.all([waitExit(pack, 'tar -c', () => packErr), waitExit(unpack, 'tar -x', () => unpackErr)]);
}
