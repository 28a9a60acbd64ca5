/**
 * Rewrites an ELF file's DT_RUNPATH / DT_RPATH in place. pyenv builds CPython with
 * `--enable-shared` and an absolute RUNPATH (`/root/.pyenv/versions/3.12.1/lib`), so a copy
 * unpacked elsewhere would still load libpython from the original prefix (or fail where it is
 * absent). python-build-standalone uses `$ORIGIN`-relative paths instead; this makes the pyenv
 * build match. The new string must not be longer than the old one (it is written over it and
 * padded with NULs), which holds for `$ORIGIN/..`-style paths replacing an absolute prefix.
 * 64-bit little-endian ELF only (x86_64 and aarch64 Linux), which is all this machine runs.
 */
import { open } from 'node:fs/promises';

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const DT_NULL = 0n;
const DT_STRTAB = 5n;
const DT_RPATH = 15n;
const DT_RUNPATH = 29n;

export async function isElf(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    await file.read(head, 0, 4, 0);
    return head.toString('latin1') === '\x7fELF';
  } finally {
    await file.close();
  }
}

/**
 * Calls `rewrite(old)` for the file's run path and writes what it returns. Returns the
 * [old, new] pair, or undefined when the file has no run path or `rewrite` keeps it.
 */
export async function rewriteRunpath(
  path: string,
  rewrite: (old: string) => string,
): Promise<[string, string] | undefined> {
  const file = await open(path, 'r+');
  try {
    const { size } = await file.stat();
    const buf = Buffer.alloc(size);
    await file.read(buf, 0, size, 0);
    if (buf.toString('latin1', 0, 4) !== '\x7fELF' || buf[4] !== 2 || buf[5] !== 1) return undefined;
    const phoff = Number(buf.readBigUInt64LE(0x20));
    const phentsize = buf.readUInt16LE(0x36);
    const phnum = buf.readUInt16LE(0x38);
    const loads: { vaddr: bigint; offset: bigint; filesz: bigint }[] = [];
    let dynamic: { offset: number; size: number } | undefined;
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * phentsize;
      const type = buf.readUInt32LE(at);
      const offset = buf.readBigUInt64LE(at + 0x08);
      const vaddr = buf.readBigUInt64LE(at + 0x10);
      const filesz = buf.readBigUInt64LE(at + 0x20);
      if (type === PT_LOAD) loads.push({ vaddr, offset, filesz });
      if (type === PT_DYNAMIC) dynamic = { offset: Number(offset), size: Number(filesz) };
    }
    if (!dynamic) return undefined;
    let strtab: bigint | undefined;
    let runpath: bigint | undefined;
    for (let at = dynamic.offset; at + 16 <= dynamic.offset + dynamic.size; at += 16) {
      const tag = buf.readBigInt64LE(at);
      if (tag === DT_NULL) break;
      const value = buf.readBigUInt64LE(at + 8);
      if (tag === DT_STRTAB) strtab = value;
      if (tag === DT_RUNPATH || (tag === DT_RPATH && runpath === undefined)) runpath = value;
    }
    if (strtab === undefined || runpath === undefined) return undefined;
    const segment = loads.find((l) => strtab! >= l.vaddr && strtab! < l.vaddr + l.filesz);
    if (!segment) return undefined;
    const start = Number(strtab - segment.vaddr + segment.offset + runpath);
    const end = buf.indexOf(0, start);
    const old = buf.toString('utf8', start, end);
    const next = rewrite(old);
    if (next === old) return undefined;
    const bytes = Buffer.from(next);
    if (bytes.length > end - start)
      throw new Error(`${path}: new run path "${next}" is longer than "${old}"`);
    const patch = Buffer.alloc(end - start);
    bytes.copy(patch);
    await file.write(patch, 0, patch.length, start);
    return [old, next];
  } finally {
    await file.close();
  }
}
