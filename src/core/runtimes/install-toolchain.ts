import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Artifact, RuntimeDefinition } from '../../../runtimes/types.js';
import { PolyError } from '../errors.js';
import { systemErrorToPolyError } from '../os-error.js';
import { installDir, type StoreLayout } from '../store/layout.js';
import { storeError } from '../store/store-error.js';
import type { InstallEventHandler } from './events.js';
import { type HttpOptions, openUrl, withRetries } from './http.js';
import { withLock } from './install-lock.js';
import { cleanLeftovers, tempName } from './leftovers.js';
import { readAhead } from './read-ahead.js';
import { assembleRustToolchain } from './rust-components.js';
import { streamUnpack } from './unpack.js';
import { UnpackFailure } from './unpack-options.js';

export interface InstallArtifactOptions {
  layout: StoreLayout;
  /** A runtime's definition, or a database package's name (packages add no links). */
  runtime: Pick<RuntimeDefinition, 'name' | 'links'>;
  version: string;
  artifact: Artifact;
  http: HttpOptions;
  onEvent?: InstallEventHandler;
  /** Path of the machine's tar to unpack with, when it should (see unpack-system-tar.ts). */
  systemTar?: string;
  /** Path of the machine's xz, for jar-txz archives (the database packages). */
  xz?: string;
}

function mkdirStore(layout: StoreLayout, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw storeError(err, layout, dir);
  }
}

/**
 * Downloads, verifies and unpacks one toolchain archive into installs/<runtime>/<version>,
 * atomically: it appears there complete, or not at all. Returns whether it was installed now.
 */
export async function installArtifact(
  opts: InstallArtifactOptions,
): Promise<{ dir: string; installed: boolean }> {
  const { layout, runtime, version, artifact } = opts;
  const name = runtime.name;
  const dir = installDir(layout, name, version);
  if (existsSync(dir)) return { dir, installed: false };
  mkdirStore(layout, layout.tmp);
  mkdirStore(layout, layout.locks);
  // What a killed poly left behind (its temp dirs; its lock is taken over below).
  cleanLeftovers(layout);
  return withLock(
    layout.locks,
    `${name}-${version}`,
    async () => {
      // Another process may have installed it while we waited for the lock.
      if (existsSync(dir)) return { dir, installed: false };
      const staging = join(layout.tmp, tempName(`${name}-${version}`));
      try {
        await downloadVerified(opts, staging);
        opts.onEvent?.({ type: 'unpack', runtime: name, version });
        let root = join(staging, 'unpacked');
        if (artifact.layout === 'rust-components') {
          const assembled = join(staging, 'toolchain');
          assembleRustToolchain(root, assembled);
          root = assembled;
        }
        addLinks(root, runtime.links ?? {});
        mkdirStore(layout, dirname(dir));
        try {
          renameSync(root, dir);
        } catch (err) {
          throw storeError(err, layout, dir);
        }
        return { dir, installed: true };
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    },
    {
      onWait: (ownerPid) =>
        opts.onEvent?.({ type: 'wait', runtime: name, version, ...(ownerPid ? { ownerPid } : {}) }),
    },
  );
}

async function downloadVerified(opts: InstallArtifactOptions, staging: string): Promise<void> {
  const { runtime, version, artifact, layout } = opts;
  const name = runtime.name;
  const unpacked = join(staging, 'unpacked');
  const actual = await withRetries(
    {
      ...opts.http,
      onRetry: (attempt, reason) =>
        opts.onEvent?.({ type: 'retry', runtime: name, version, attempt, reason }),
    },
    async () => {
      rmSync(unpacked, { recursive: true, force: true });
      mkdirStore(layout, unpacked);
      const download = await openUrl(artifact.url, opts.http);
      const total = download.total ?? artifact.size;
      const started = Date.now();
      let bytes = 0;
      let lastEmit = 0;
      // A jar holding a .txz (the database packages) has an unpacker of its own.
      const unpack =
        artifact.layout === 'jar-txz' ? (await import('./unpack-jar-txz.js')).jarTxzUnpack : streamUnpack;
      return unpackOrExplain(artifact, () =>
        unpack(readAhead(download.chunks), {
          dest: unpacked,
          strip: artifact.strip,
          checksum: artifact.checksum,
          label: artifact.url,
          cancel: download.cancel,
          ...(opts.systemTar ? { systemTar: opts.systemTar } : {}),
          ...(opts.xz ? { xz: opts.xz } : {}),
          onBytes: (n) => {
            bytes += n;
            const now = Date.now();
            if (now - lastEmit < 100 && bytes !== total) return;
            lastEmit = now;
            const speed = bytes / Math.max(0.001, (now - started) / 1000);
            opts.onEvent?.({
              type: 'download',
              runtime: name,
              version,
              bytes,
              speed,
              ...(total ? { total } : {}),
            });
          },
        }),
      );
    },
  );
  if (actual !== artifact.checksum) throw checksumMismatch(artifact.url, artifact.checksum, actual);
  opts.onEvent?.({ type: 'verify', runtime: name, version, checksum: actual });
}

function checksumMismatch(url: string, expected: string, actual: string): PolyError {
  return new PolyError(
    'CHECKSUM_MISMATCH',
    `checksum mismatch for ${url}\n  expected ${expected}\n  actual   ${actual}`,
    {
      hint: 'Nothing was installed. The download or the mirror is corrupt; try again, or check the mirror.',
    },
  );
}

/**
 * An unpacker that failed on the bytes (a flipped byte, a truncated gzip) has still hashed the
 * whole download: a wrong checksum is the real cause; with the right one the archive itself is
 * damaged; a full disk or a permission is the user's machine.
 */
async function unpackOrExplain(
  artifact: { url: string; checksum: string },
  unpack: () => Promise<string>,
): Promise<string> {
  try {
    return await unpack();
  } catch (err) {
    if (!(err instanceof UnpackFailure)) throw err;
    if (err.actual !== artifact.checksum) throw checksumMismatch(artifact.url, artifact.checksum, err.actual);
    const system = systemErrorToPolyError(err.reason);
    if (system) throw system;
    const tarCode = (err.reason as { code?: string }).code;
    if (tarCode === 'TAR_SYMLINK_ERROR' || tarCode === 'TAR_ENTRY_ERROR') {
      // The tar package stopped an entry that poly's own check let through.
      throw new PolyError('ARCHIVE_UNSAFE', `refusing to unpack ${artifact.url}: ${err.reason.message}`, {
        hint: 'The archive tries to write outside its install folder. Nothing was installed; check the mirror or source you download from.',
      });
    }
    throw new PolyError(
      'ARCHIVE_DAMAGED',
      `${artifact.url} is damaged (${err.reason.message}) although its checksum matched`,
      {
        hint: 'Nothing was installed. Run the command again once; if it fails the same way, the archive at the source is broken: report it there, or use another mirror.',
      },
    );
  }
}

function addLinks(root: string, links: Record<string, string>): void {
  for (const [path, target] of Object.entries(links)) {
    const at = join(root, path);
    if (existsSync(at) || !existsSync(join(dirname(at), target))) continue;
    symlinkSync(target, at);
  }
}
