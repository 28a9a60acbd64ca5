import { spawn } from 'node:child_process';
import { PolyError } from '../errors.js';
import { refuseEntry } from './archive-entries.js';
import type { ArchiveLinks } from './archive-links.js';
import { createChecksum } from './checksum.js';
import { type StreamUnpackOptions, UnpackFailure } from './unpack-options.js';

/**
 * The same one pass as streamUnpack, with the machine's tar (GNU tar, or bsdtar on macOS)
 * writing the files: it unpacks about as fast as `tar -xzf` because it is that, while this
 * process hashes and reads every header with the tar package's parser (no writes) to refuse
 * entries that point outside. Both tars also refuse such entries on their own (`..` members,
 * absolute names, links out: placeholders or refusal), and everything lands in a temp dir.
 */
export async function systemTarUnpack(
  chunks: AsyncIterable<Uint8Array>,
  opts: StreamUnpackOptions,
  tarBinary: string,
): Promise<string> {
  const { Parser } = await import('tar');
  const sum = createChecksum(opts.checksum);
  let refused: PolyError | undefined;
  const links: ArchiveLinks = new Map();
  const child = spawn(
    tarBinary,
    ['-xzf', '-', '-C', opts.dest, `--strip-components=${opts.strip}`, '--no-same-owner'],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdin.on('error', () => {}); // EPIPE when tar stops early; its exit status says why.
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const parser = new Parser({
    strict: true,
    filter: (path, entry) => {
      if (refused) return false;
      refused = refuseEntry(opts, path, entry, links);
      if (refused) {
        opts.cancel?.();
        child.kill('SIGKILL');
      }
      return false; // Headers only: tar writes the files.
    },
  });
  // A damaged archive stops the parser (and tar) early: the rest is still hashed, so the caller
  // can report the checksum mismatch that is the real cause (see UnpackFailure).
  let broken: Error | undefined;
  const parsed = new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => {
      if (!refused) broken ??= err;
      if (refused) reject(refused);
      else resolve();
    };
    parser.on('end', () => resolve());
    parser.on('error', fail);
    parser.on('abort', fail);
  });
  parsed.catch(() => {});
  const feed = async () => {
    for await (const chunk of chunks) {
      if (refused) break;
      sum.hash.update(chunk);
      opts.onBytes?.(chunk.byteLength);
      if (broken) continue;
      const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      parser.write(buf);
      if (!child.stdin.write(buf) && child.exitCode === null) {
        // Either event ends the wait; the other listener goes too, or they pile up per chunk.
        await new Promise<void>((r) => {
          const done = () => {
            child.stdin.off('drain', done);
            child.off('close', done);
            r();
          };
          child.stdin.once('drain', done);
          child.once('close', done);
        });
      }
    }
    if (refused) throw refused;
    if (broken) throw new UnpackFailure(broken, sum.digest());
    parser.end();
    child.stdin.end();
  };
  try {
    await Promise.all([feed(), parsed]);
  } catch (err) {
    opts.cancel?.();
    child.kill('SIGKILL');
    await exited.catch(() => {});
    throw refused ?? err;
  }
  const code = await exited;
  if (refused) throw refused;
  if (broken) throw new UnpackFailure(broken, sum.digest());
  if (code !== 0) {
    throw new PolyError(
      'UNPACK_FAILED',
      `${tarBinary} could not unpack ${opts.label} (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`,
      {
        hint: /No space left|Disk quota/i.test(stderr)
          ? 'Nothing was installed. Free some disk space and run the command again.'
          : 'Nothing was installed. The archive could not be unpacked as it is: check the mirror or source; POLY_SYSTEM_TAR=0 unpacks with poly itself.',
      },
    );
  }
  return sum.digest();
}
