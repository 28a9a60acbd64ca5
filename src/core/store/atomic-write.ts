import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  lstatSync,
  mkdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { expectErrno, NOT_THERE } from '../errno.js';
import { PolyError } from '../errors.js';
import { nodeCrypto } from '../node-crypto.js';

/**
 * Write a file so that readers see the old or the new content, never half of
 * it. A symlink is written through (the temp file goes in the target's folder,
 * the rename replaces the target, the link stays a link), an existing file
 * keeps its mode, owner and group, and a file the user made read-only is not
 * replaced at all: a rename in a writable folder would otherwise do it.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const target = linkTarget(file);
  const existing = statOrUndefined(target);
  if (existing) refuseReadOnly(file, target, existing);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${nodeCrypto().randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data, existing ? { mode: existing.mode & 0o7777 } : {});
    if (existing && !keepAttributes(tmp, existing)) {
      // The file belongs to someone else (we write it through its group or mode bits):
      // a rename would hand it over to us. The whole text was written once already, so
      // the disk has room; write it in place, which keeps its owner.
      rmSync(tmp, { force: true });
      writeFileSync(target, data);
      return;
    }
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    // A write's ENOSPC names no file: name the one the user knows (see os-error.ts).
    const e = err as NodeJS.ErrnoException;
    if (e.code && !e.path) e.path = target;
    throw err;
  }
}

/** Throws what writeFileAtomic would for a read-only file or a link loop, without writing. */
export function assertReplaceable(file: string): void {
  const target = linkTarget(file);
  const existing = statOrUndefined(target);
  if (existing) refuseReadOnly(file, target, existing);
}

/** The file a path finally names, following a chain of symlinks (one that leads nowhere too). */
function linkTarget(file: string): string {
  let path = resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    let stat: Stats;
    try {
      stat = lstatSync(path);
    } catch (err) {
      // Missing: the folders above may still be links; realpath the part that exists.
      expectErrno(err, ...NOT_THERE);
      try {
        return join(realpathSync(dirname(path)), path.slice(dirname(path).length + 1));
      } catch (parentErr) {
        // The folder is missing too: mkdir makes it.
        expectErrno(parentErr, ...NOT_THERE);
        return path;
      }
    }
    if (!stat.isSymbolicLink()) return realpathSync(path);
    path = resolve(dirname(path), readlinkSync(path));
  }
  throw new PolyError('SYMLINK_LOOP', `${file}: too many levels of symbolic links`, {
    hint: `Point ${file} at a real file (ls -l shows where it leads).`,
  });
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    expectErrno(err, ...NOT_THERE);
    return undefined;
  }
}

function refuseReadOnly(file: string, target: string, stat: Stats): void {
  let writable = (stat.mode & 0o222) !== 0;
  if (writable) {
    try {
      accessSync(target, constants.W_OK);
    } catch (err) {
      expectErrno(err, 'EACCES', 'EPERM', 'EROFS');
      writable = false;
    }
  }
  if (writable) return;
  const shown = target === resolve(file) ? file : `${file} (-> ${target})`;
  if ((stat.mode & 0o222) !== 0) {
    throw new PolyError('FILE_NOT_WRITABLE', `${shown} is not writable by you; poly left it unchanged`, {
      hint: `It belongs to uid ${stat.uid} (ls -l ${target}): ask its owner, or run the command as a user who may write it.`,
    });
  }
  throw new PolyError('FILE_READ_ONLY', `${shown} is read-only; poly left it unchanged`, {
    hint: `Make it writable (chmod u+w ${target}) and run the command again, or edit it yourself.`,
  });
}

/** Gives the temp file the original's owner and group (mode was set at creation); false when not allowed. */
function keepAttributes(tmp: string, original: Stats): boolean {
  const mine = statSync(tmp);
  if (mine.uid !== original.uid || mine.gid !== original.gid) {
    try {
      chownSync(tmp, original.uid, original.gid);
    } catch (err) {
      expectErrno(err, 'EPERM', 'EACCES');
      return false;
    }
  }
  // The umask applied at creation: set the exact bits (setgid and sticky too).
  chmodSync(tmp, original.mode & 0o7777);
  return true;
}
