import { createHash, type Hash } from 'node:crypto';
import { posix } from 'node:path';
import { PolyError } from '../errors.js';
import { type ArchiveLinks, linkChainReason } from './archive-links.js';

/**
 * One pass over a download: every chunk feeds the checksum and the tar
 * unpacker (which gunzips on its own). The caller unpacks into a temp dir,
 * so a checksum mismatch discovered at the end installs nothing.
 */
export interface StreamUnpackOptions {
  dest: string;
  /** Leading path components to drop (the archive's top folder). */
  strip: number;
  /** `sha256:<hex>` or SRI `sha512-<base64>`. */
  checksum: string;
  /** For messages: what is being unpacked. */
  label: string;
  onBytes?: (chunkBytes: number) => void;
  /** Called when unpacking fails, to stop the download feeding it. */
  cancel?: () => void;
  /** The machine's tar to write the files (see unpack-system-tar.ts); undefined: the tar package does. */
  systemTar?: string;
}

export function createChecksum(checksum: string): { hash: Hash; digest: () => string } {
  if (checksum.startsWith('sha256:')) {
    const hash = createHash('sha256');
    return { hash, digest: () => `sha256:${hash.digest('hex')}` };
  }
  if (checksum.startsWith('sha1:')) {
    // Maven repositories publish sha1 for every artifact (sha256 only for some).
    const hash = createHash('sha1');
    return { hash, digest: () => `sha1:${hash.digest('hex')}` };
  }
  if (checksum.startsWith('sha512-')) {
    const hash = createHash('sha512');
    return { hash, digest: () => `sha512-${hash.digest('base64')}` };
  }
  throw new PolyError('CHECKSUM_UNKNOWN', `unsupported checksum format: ${checksum.slice(0, 16)}…`);
}

/**
 * Why an archive entry would land outside the install dir, or undefined when it is safe.
 * `path` and hardlink targets are archive-relative; symlink targets relative to the entry's folder.
 */
export function unsafeEntryReason(
  path: string,
  type: string,
  linkpath: string | undefined,
  strip: number,
  /** The archive's links so far: checks the entry through them, and records it. */
  links?: ArchiveLinks,
): string | undefined {
  const escapes = (p: string) => p === '..' || p.startsWith('../');
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) return `absolute path "${path}"`;
  if (path.split(/[\\/]/).includes('..')) return `path "${path}" climbs out with ".."`;
  const stripped = path.split('/').filter(Boolean).slice(strip).join('/');
  if (type === 'SymbolicLink') {
    if (!linkpath) return `symlink "${path}" has no target`;
    if (linkpath.startsWith('/')) return `symlink "${path}" points to the absolute path "${linkpath}"`;
    if (escapes(posix.normalize(posix.join(posix.dirname(stripped || '.'), linkpath)))) {
      return `symlink "${path}" points outside the archive ("${linkpath}")`;
    }
  }
  if (type === 'Link') {
    if (!linkpath) return `hardlink "${path}" has no target`;
    if (linkpath.startsWith('/')) return `hardlink "${path}" points to the absolute path "${linkpath}"`;
    const target = linkpath.split('/').filter(Boolean).slice(strip).join('/');
    if (linkpath.split('/').includes('..') || escapes(posix.normalize(target || '.'))) {
      return `hardlink "${path}" points outside the archive ("${linkpath}")`;
    }
  }
  if (!links) return undefined;
  const target = type === 'Link' ? linkpath?.split('/').filter(Boolean).slice(strip).join('/') : linkpath;
  return linkChainReason(links, path, stripped, type, target);
}

/** The error for an entry that would land outside the install dir (see unsafeEntryReason), or undefined. */
export function refuseEntry(
  opts: StreamUnpackOptions,
  path: string,
  entry: unknown,
  links: ArchiveLinks,
): PolyError | undefined {
  const e = entry as { type?: string; linkpath?: string };
  const reason = unsafeEntryReason(path, e.type ?? 'File', e.linkpath, opts.strip, links);
  if (!reason) return undefined;
  return new PolyError('ARCHIVE_UNSAFE', `refusing to unpack ${opts.label}: ${reason}`, {
    hint: 'The archive tries to write outside its install folder. Nothing was installed; check the mirror or source you download from.',
  });
}

/** The unpacker failed on the archive's bytes; `actual` is the checksum of the whole download. */
export class UnpackFailure extends Error {
  constructor(
    readonly reason: Error,
    readonly actual: string,
  ) {
    super(reason.message);
  }
}

const REFUSED = Symbol('refused');

/** Streams `chunks` into `dest`, hashing as it goes. Resolves with the actual checksum. */
export async function streamUnpack(
  chunks: AsyncIterable<Uint8Array>,
  opts: StreamUnpackOptions,
): Promise<string> {
  if (opts.systemTar) {
    const { systemTarUnpack } = await import('./unpack-system-tar.js');
    return systemTarUnpack(chunks, opts, opts.systemTar);
  }
  const { Unpack } = await import('tar');
  const sum = createChecksum(opts.checksum);
  let refused: PolyError | undefined;
  // Released by a refusal: the loop below then stops waiting on the download, whose body an
  // aborted fetch does not always end (seen under load: poly exited 13 with nothing settled).
  let onRefused: () => void = () => {};
  const refusal = new Promise<typeof REFUSED>((r) => {
    onRefused = () => r(REFUSED);
  });
  const links: ArchiveLinks = new Map();
  const unpack = new Unpack({
    cwd: opts.dest,
    strip: opts.strip,
    strict: true,
    preserveOwner: false,
    filter: (path, entry) => {
      if (refused) return false;
      refused = refuseEntry(opts, path, entry, links);
      if (refused) {
        // Stop the download at once: the unpacker emits nothing more, so nothing else would.
        onRefused();
        opts.cancel?.();
        unpack.abort(refused);
        return false;
      }
      return ['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link'].includes(
        (entry as { type?: string }).type ?? 'File',
      );
    },
  });
  // A damaged archive (a flipped byte: "incorrect data check") stops the unpacker before the
  // end. The download is still hashed to its end, so the caller can report the real cause:
  // a checksum mismatch, or, when the checksum matched, a damaged archive.
  let broken: Error | undefined;
  let onBroken: () => void = () => {};
  const brokenSignal = new Promise<void>((r) => {
    onBroken = r;
  });
  const finished = new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => {
      broken ??= err;
      onBroken();
      reject(refused ?? err);
    };
    unpack.on('close', () => resolve());
    unpack.on('error', fail);
    unpack.on('abort', fail);
  });
  finished.catch(() => {});
  let drained = false;
  try {
    const iterator = chunks[Symbol.asyncIterator]();
    for (;;) {
      const next = await Promise.race([iterator.next(), refusal]);
      if (next === REFUSED) {
        // Let go of the download without waiting for it to end.
        iterator.return?.().catch(() => {});
        break;
      }
      if (next.done) break;
      const chunk = next.value;
      if (refused) break;
      sum.hash.update(chunk);
      opts.onBytes?.(chunk.byteLength);
      if (broken) continue;
      const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (!unpack.write(buf)) await Promise.race([new Promise((r) => unpack.once('drain', r)), brokenSignal]);
    }
    drained = true;
    if (refused) throw refused;
    if (!broken) unpack.end();
    await Promise.race([finished, refusal]);
    if (refused) throw refused;
  } catch (err) {
    opts.cancel?.();
    if (refused) throw refused;
    if (broken && drained) throw new UnpackFailure(broken, sum.digest());
    if (!broken) unpack.abort(err as Error);
    throw err;
  }
  return sum.digest();
}
