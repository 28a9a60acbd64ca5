import { gzipSync } from 'node:zlib';

/**
 * A minimal ustar writer for synthetic test archives. Written by hand (not with
 * the tar package) so tests can build archives that tar refuses to create:
 * `..` entries, absolute paths, links pointing outside.
 */
export type TarEntry =
  | { type: 'file'; path: string; content: string | Buffer; mode?: number }
  | { type: 'dir'; path: string }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'hardlink'; path: string; target: string };

function header(name: string, size: number, typeflag: string, mode: number, linkname = ''): Buffer {
  const h = Buffer.alloc(512);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 154);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100);
  h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write(
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
    136,
  );
  h.write('        ', 148);
  h.write(typeflag, 156);
  h.write(linkname, 157, 100);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.write(prefix, 345, 155);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

export function tarBuffer(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.type === 'file') {
      const body = Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content);
      parts.push(header(e.path, body.length, '0', e.mode ?? 0o644));
      parts.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
    } else if (e.type === 'dir') {
      parts.push(header(e.path.endsWith('/') ? e.path : `${e.path}/`, 0, '5', 0o755));
    } else {
      parts.push(header(e.path, 0, e.type === 'symlink' ? '2' : '1', 0o777, e.target));
    }
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function tarGz(entries: readonly TarEntry[]): Buffer {
  return gzipSync(tarBuffer(entries));
}

/** A tiny "toolchain": `<top>/bin/<name>` printing a version, as a shell script. */
export function fakeToolchain(top: string, binaries: Record<string, string>, extra: TarEntry[] = []): Buffer {
  const entries: TarEntry[] = [
    { type: 'dir', path: top },
    { type: 'dir', path: `${top}/bin` },
  ];
  for (const [name, output] of Object.entries(binaries)) {
    entries.push({
      type: 'file',
      path: `${top}/bin/${name}`,
      content: `#!/bin/sh\necho '${output}'\n`,
      mode: 0o755,
    });
  }
  return tarGz([...entries, ...extra]);
}
