import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { PolyError } from '../errors.js';
import { createChecksum } from './checksum.js';
import { streamUnpack } from './unpack.js';
import type { StreamUnpackOptions } from './unpack-options.js';
import { listZip, openZipMember } from './zip-entry.js';

/**
 * A jar holding one `.txz` (zonky's PostgreSQL binaries): the download is
 * written beside the unpack folder while it is hashed, and only a jar whose
 * checksum matches is opened. Its .txz goes through the machine's `xz -dc`
 * (Node has no xz) into the same tar unpacker as every archive, with the same
 * refusal of entries that point outside. Resolves with the download's checksum.
 */
export async function jarTxzUnpack(
  chunks: AsyncIterable<Uint8Array>,
  opts: StreamUnpackOptions,
): Promise<string> {
  const jar = join(dirname(opts.dest), 'download.jar');
  const sum = createChecksum(opts.checksum);
  const out = createWriteStream(jar);
  try {
    for await (const chunk of chunks) {
      sum.hash.update(chunk);
      opts.onBytes?.(chunk.byteLength);
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  const actual = sum.digest();
  if (actual !== opts.checksum) return actual;
  const member = listZip(jar).find((m) => m.name.endsWith('.txz') && !m.name.includes('/'));
  if (!member)
    throw new PolyError('ARCHIVE_INVALID', `${opts.label} holds no .txz archive`, {
      hint: 'Nothing was installed. The mirror serves something else under this name; check it.',
    });
  const xzBinary = opts.xz;
  if (!xzBinary)
    throw new PolyError('XZ_MISSING', `unpacking ${opts.label} needs xz, which is not on PATH`, {
      hint: 'Install it (Debian/Ubuntu: apt-get install xz-utils; macOS: brew install xz) and run again.',
    });
  const xz = spawn(xzBinary, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  xz.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  xz.stdin.on('error', () => {}); // EPIPE when xz stops early; its exit status says why.
  const exited = new Promise<number | null>((resolve, reject) => {
    xz.on('error', reject);
    xz.on('close', (code) => resolve(code));
  });
  // Read from the start: a child's output not yet read when it exits can be lost.
  const tarStream = xz.stdout.pipe(new PassThrough());
  const compressed = openZipMember(jar, member);
  compressed.on('error', (err) => xz.stdin.destroy(err));
  compressed.pipe(xz.stdin);
  const { onBytes: _bytes, systemTar: _tar, ...tarOpts } = opts;
  try {
    // The tar's own checksum is of no interest: the jar's was verified above.
    await streamUnpack(tarStream, { ...tarOpts, checksum: 'sha256:', cancel: () => xz.kill('SIGKILL') });
  } catch (err) {
    xz.kill('SIGKILL');
    await exited.catch(() => {});
    throw err;
  }
  const code = await exited;
  if (code !== 0)
    throw new PolyError(
      'UNPACK_FAILED',
      `xz could not unpack ${opts.label} (exit ${code}): ${stderr.trim()}`,
      {
        hint: 'Nothing was installed. The download or the mirror is corrupt; try again, or check the mirror.',
      },
    );
  return actual;
}
