/**
 * Hostile archives for the install engine's safety tests: each one tries to write outside the
 * directory it is unpacked into. A safe unpacker refuses every one of them (or at least writes
 * nothing outside). All are real .tar.gz files, built by hand because no well-behaved tar tool
 * writes them.
 */
import { isAbsolute } from 'node:path';
import { type TarEntry, tarGz } from './pack.js';

export type EvilArchiveKind = 'dotdot' | 'absolute' | 'symlink-escape' | 'hardlink-escape';

export interface EvilArchiveOptions {
  /** An absolute directory outside the unpack target; the archives aim at `${outsideDir}/pwned-<kind>.txt`. */
  outsideDir: string;
  /** Top folder inside the archive (default `pkg`), like a real toolchain archive has. */
  top?: string;
}

export interface EvilArchive {
  kind: EvilArchiveKind;
  body: Buffer;
  /** Paths (absolute, or relative to the unpack dir) that must NOT exist after a safe unpack. */
  mustNotExist: string[];
  /** Files outside that the archive tries to modify: create them first; a safe unpack leaves them as they were. */
  mustStayUnchanged: string[];
  /** What the archive does, for test names and messages. */
  description: string;
}

/** One archive per kind. `dotdot` escapes relative to the unpack dir (`<dir>/../escape-dotdot.txt`). */
export function evilArchives(options: EvilArchiveOptions): Record<EvilArchiveKind, EvilArchive> {
  const { outsideDir } = options;
  if (!isAbsolute(outsideDir)) throw new Error('outsideDir must be absolute');
  const top = options.top ?? 'pkg';
  const start: TarEntry[] = [
    { name: `${top}/`, type: 'dir' },
    { name: `${top}/bin/`, type: 'dir' },
    { name: `${top}/bin/tool`, mode: 0o755, body: '#!/bin/sh\necho tool\n' },
  ];
  const target = (kind: string) => `${outsideDir}/pwned-${kind}.txt`;
  return {
    dotdot: {
      kind: 'dotdot',
      description: 'a member named ../escape-dotdot.txt and one named pkg/../../escape-dotdot2.txt',
      body: tarGz([
        ...start,
        { name: '../escape-dotdot.txt', body: 'escaped with ..\n' },
        { name: `${top}/../../escape-dotdot2.txt`, body: 'escaped with ..\n' },
      ]),
      mustNotExist: ['../escape-dotdot.txt', '../escape-dotdot2.txt'],
      mustStayUnchanged: [],
    },
    absolute: {
      kind: 'absolute',
      description: `a member with the absolute name ${target('absolute')}`,
      body: tarGz([...start, { name: target('absolute'), body: 'escaped with an absolute path\n' }]),
      mustNotExist: [target('absolute')],
      mustStayUnchanged: [],
    },
    'symlink-escape': {
      kind: 'symlink-escape',
      description: `${top}/link -> ${outsideDir}, then a file written through ${top}/link/`,
      body: tarGz([
        ...start,
        { name: `${top}/link`, type: 'symlink', linkname: outsideDir },
        { name: `${top}/link/pwned-symlink-escape.txt`, body: 'escaped through a symlink\n' },
      ]),
      mustNotExist: [target('symlink-escape')],
      mustStayUnchanged: [],
    },
    'hardlink-escape': {
      kind: 'hardlink-escape',
      description: `${top}/hard is a hard link to ${target('hardlink-escape')}, then content written to ${top}/hard`,
      body: tarGz([
        ...start,
        { name: `${top}/hard`, type: 'hardlink', linkname: target('hardlink-escape') },
        { name: `${top}/hard`, body: 'escaped through a hard link\n' },
      ]),
      mustNotExist: [],
      mustStayUnchanged: [target('hardlink-escape')],
    },
  };
}
