import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import type * as Zlib from 'node:zlib';
import { PolyError } from '../errors.js';

/**
 * Just enough of the zip format to read one member of a jar (Maven's
 * packaging): the central directory at the end names each member and where
 * its local header is; the member is stored (method 0) or deflated (8).
 * Zip64 and encryption are refused: no jar poly reads needs them.
 */
export interface ZipMember {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const END_OF_CENTRAL_DIR = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, position);
  return buf.subarray(0, n);
}

function bad(file: string, why: string): PolyError {
  return new PolyError('ARCHIVE_INVALID', `${file} is not a readable jar: ${why}`, {
    hint: 'Nothing was installed. The download or the mirror is corrupt; try again, or check the mirror.',
  });
}

/** Every member the central directory lists. */
export function listZip(file: string): ZipMember[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    // The end record is 22 bytes plus a comment of at most 65535.
    const tailStart = Math.max(0, size - 22 - 65535);
    const tail = readAt(fd, tailStart, size - tailStart);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIR) {
        at = i;
        break;
      }
    }
    if (at < 0) throw bad(file, 'no end of central directory');
    const count = tail.readUInt16LE(at + 10);
    const dirSize = tail.readUInt32LE(at + 12);
    const dirOffset = tail.readUInt32LE(at + 16);
    if (dirOffset === 0xffffffff || count === 0xffff) throw bad(file, 'zip64 is not supported');
    const dir = readAt(fd, dirOffset, dirSize);
    const members: ZipMember[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL_ENTRY)
        throw bad(file, 'broken central directory');
      const flags = dir.readUInt16LE(p + 8);
      if (flags & 1) throw bad(file, 'encrypted members are not supported');
      const nameLength = dir.readUInt16LE(p + 28);
      const extraLength = dir.readUInt16LE(p + 30);
      const commentLength = dir.readUInt16LE(p + 32);
      members.push({
        method: dir.readUInt16LE(p + 10),
        compressedSize: dir.readUInt32LE(p + 20),
        size: dir.readUInt32LE(p + 24),
        name: dir.subarray(p + 46, p + 46 + nameLength).toString('utf8'),
        localHeaderOffset: dir.readUInt32LE(p + 42),
      });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return members;
  } finally {
    closeSync(fd);
  }
}

/** The member's uncompressed bytes as a stream. */
export function openZipMember(file: string, member: ZipMember): Readable {
  const fd = openSync(file, 'r');
  let header: Buffer;
  try {
    header = readAt(fd, member.localHeaderOffset, 30);
  } finally {
    closeSync(fd);
  }
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_HEADER)
    throw bad(file, `no header for ${member.name}`);
  const start = member.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (member.compressedSize === 0) return Readable.from([]);
  const raw = createReadStream(file, { start, end: start + member.compressedSize - 1 });
  if (member.method === 0) return raw;
  if (member.method !== 8) throw bad(file, `${member.name} uses compression method ${member.method}`);
  // Loaded here: the package definitions that import this file are loaded by every supervisor.
  const inflate = (createRequire(import.meta.url)('node:zlib') as typeof Zlib).createInflateRaw();
  raw.on('error', (err) => inflate.destroy(err));
  return raw.pipe(inflate);
}

/** The whole member as a string (small text members: a pom, a manifest). */
export async function readZipText(file: string, name: string): Promise<string | undefined> {
  const member = listZip(file).find((m) => m.name === name);
  if (!member) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of openZipMember(file, member)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
