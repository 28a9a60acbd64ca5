import type { PolyError } from '../errors.js';
import { refuseEntry } from './archive-entries.js';
import type { ArchiveLinks } from './archive-links.js';
import { createChecksum } from './checksum.js';
import { type StreamUnpackOptions, UnpackFailure } from './unpack-options.js';

const REFUSED = Symbol('refused');

/**
 * One pass over a download: every chunk feeds the checksum and the tar
 * unpacker (which gunzips on its own). The caller unpacks into a temp dir,
 * so a checksum mismatch discovered at the end installs nothing. Streams `chunks` into
 * `dest`, hashing as it goes; resolves with the actual checksum.
 */
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
