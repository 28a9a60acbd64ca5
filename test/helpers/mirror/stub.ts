/**
 * Archives for the platforms this machine cannot run (linux-arm64, darwin-x64, darwin-arm64).
 * No such binaries exist here, so these are small REAL tarballs of a stub folder laid out like
 * the official archive (same top folder, same bin path), whose files say they are stubs. They
 * exist so indexes and checksum files list four platforms with distinct checksums and a
 * lockfile can record all four; nothing here ever installs or runs them.
 * Built in memory, deterministic: the same bytes (and checksum) on every run and machine.
 */
import { createHash } from 'node:crypto';
import { type TarEntry, tarGz } from './pack.js';

export interface StubArchive {
  body: Buffer;
  sha256: string;
  size: number;
}

/** `binaries` are paths below `top` (e.g. `bin/node`) written as scripts that fail loudly. */
export function stubArchive(top: string, binaries: string[], label: string): StubArchive {
  const entries: TarEntry[] = [{ name: `${top}/`, type: 'dir' }];
  const dirs = new Set<string>();
  for (const binary of binaries) {
    const parts = binary.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const dir of [...dirs].sort()) entries.push({ name: `${top}/${dir}/`, type: 'dir' });
  entries.push({
    name: `${top}/POLY-TEST-STUB.txt`,
    body: `Stub archive of ${label} served by poly's test mirror; not a real toolchain.\n`,
  });
  for (const binary of binaries) {
    entries.push({
      name: `${top}/${binary}`,
      mode: 0o755,
      body: `#!/bin/sh\necho "stub ${label}: not runnable" >&2\nexit 1\n`,
    });
  }
  const body = tarGz(entries);
  return { body, size: body.length, sha256: createHash('sha256').update(body).digest('hex') };
}
