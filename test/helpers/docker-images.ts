import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { connectDocker, type DockerClient } from '../../src/core/docker/client.js';
import { imageExists } from '../../src/core/docker/images.js';

/**
 * Base images for the container tests, built on this machine because no image
 * registry is reachable: a Debian root filesystem from debootstrap and a tiny
 * busybox one, each imported with `docker import`. Built once per engine
 * (cached by tag); a lock dir keeps concurrent test files from building twice.
 */
export const DEBIAN_TEST_IMAGE = 'poly-test/debian:bookworm';
export const BUSYBOX_TEST_IMAGE = 'poly-test/busybox:latest';

/** Measured here: debootstrap --variant=minbase bookworm takes about 47 s, the import about 3 s. */
export const BUILD_TIMEOUT_MS = 10 * 60_000;

/** The Debian mirror apt on this machine is configured with (deb822 .sources or one-line .list). */
export function aptMirror(suite = 'bookworm'): string {
  const files = ['/etc/apt/sources.list'];
  try {
    for (const f of readdirSync('/etc/apt/sources.list.d')) {
      if (f.endsWith('.sources') || f.endsWith('.list')) files.push(join('/etc/apt/sources.list.d', f));
    }
  } catch {}
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (file.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name: string) =>
          stanza
            .match(new RegExp(`^${name}:\\s*(.+)$`, 'mi'))?.[1]
            ?.trim()
            .split(/\s+/) ?? [];
        if (field('Types').includes('deb') && field('Suites').includes(suite) && field('URIs')[0]) {
          return field('URIs')[0]!;
        }
      }
    } else {
      for (const line of text.split('\n')) {
        const m = line.match(/^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/);
        if (m && m[2] === suite) return m[1]!;
      }
    }
  }
  throw new Error(`no apt source for ${suite} in /etc/apt/sources.list*; debootstrap needs a Debian mirror`);
}

/** One build of `tag` at a time across test files (a lock dir); a lock older than the longest build is stale. */
export async function withBuildLock<T>(tag: string, work: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `poly-test-image-${tag.replace(/[^a-z0-9]+/gi, '_')}.lock`);
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the longest build belongs to a test run that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > BUILD_TIMEOUT_MS)
          rmSync(lock, { recursive: true, force: true });
      } catch {}
      if (Date.now() > deadline) throw new Error(`timed out waiting for another build of ${tag}`);
      await sleep(1000);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** debootstrap, and reading or removing the root filesystem it makes, need root: sudo -n when not root. */
function asRoot(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? [cmd, args] : ['sudo', ['-n', cmd, ...args]];
}

async function importRootfs(dir: string, tag: string): Promise<void> {
  // buffer: false — the rootfs tar is streamed into `docker import`, never held in memory.
  await execa(...asRoot('tar', ['-C', dir, '-c', '.']), { buffer: false }).pipe('docker', [
    'import',
    '-',
    tag,
  ]);
}

async function removeRootfs(dir: string): Promise<void> {
  if (process.getuid?.() === 0) rmSync(dir, { recursive: true, force: true });
  else await execa(...asRoot('rm', ['-rf', dir])).catch(() => {});
}

async function buildDebian(tag: string): Promise<void> {
  const dir = join(tmpdir(), `poly-test-debian-${process.pid}`);
  await removeRootfs(dir);
  try {
    // libstdc++6: node (and other mounted toolchains) link against it.
    const args = ['--variant=minbase', '--include=libstdc++6', 'bookworm', dir, aptMirror()];
    await execa(...asRoot('debootstrap', args), { timeout: BUILD_TIMEOUT_MS });
    await importRootfs(dir, tag);
  } finally {
    await removeRootfs(dir);
  }
}

async function buildBusybox(tag: string): Promise<void> {
  const dir = join(tmpdir(), `poly-test-busybox-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  try {
    mkdirSync(join(dir, 'bin'), { recursive: true });
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    copyFileSync('/bin/busybox', join(dir, 'bin', 'busybox'));
    const { stdout } = await execa('/bin/busybox', ['--list']);
    for (const applet of stdout.split('\n').filter((a) => a && a !== 'busybox')) {
      symlinkSync('busybox', join(dir, 'bin', applet));
    }
    await importRootfs(dir, tag);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ensureTestImage(client: DockerClient, tag: string, build: (tag: string) => Promise<void>) {
  if (await imageExists(client, tag)) return tag;
  await withBuildLock(tag, async () => {
    if (!(await imageExists(client, tag))) await build(tag);
  });
  return tag;
}

export async function debianTestImage(client?: DockerClient): Promise<string> {
  return ensureTestImage(client ?? (await connectDocker(process.env)), DEBIAN_TEST_IMAGE, buildDebian);
}

export async function busyboxTestImage(client?: DockerClient): Promise<string> {
  return ensureTestImage(client ?? (await connectDocker(process.env)), BUSYBOX_TEST_IMAGE, buildBusybox);
}

/**
 * The Debian test image with libssl3: the test mirror's Python is this
 * machine's, linked against the system OpenSSL (python-build-standalone
 * bundles its own), so images that run it need the library. Built once per engine.
 */
export const DEBIAN_SSL_TEST_IMAGE = 'poly-test/debian-libssl:bookworm';

export async function debianSslTestImage(client?: DockerClient): Promise<string> {
  const docker = client ?? (await connectDocker(process.env));
  if (await imageExists(docker, DEBIAN_SSL_TEST_IMAGE)) return DEBIAN_SSL_TEST_IMAGE;
  await debianTestImage(docker);
  return withBuildLock(DEBIAN_SSL_TEST_IMAGE, async () => {
    if (await imageExists(docker, DEBIAN_SSL_TEST_IMAGE)) return DEBIAN_SSL_TEST_IMAGE;
    const dir = join(tmpdir(), `poly-test-ssl-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(
        join(dir, 'Dockerfile'),
        `FROM ${DEBIAN_TEST_IMAGE}\nRUN apt-get update && apt-get install -y --no-install-recommends libssl3 && rm -rf /var/lib/apt/lists/*\n`,
      );
      await execa('docker', ['build', '-q', '-t', DEBIAN_SSL_TEST_IMAGE, dir], { timeout: BUILD_TIMEOUT_MS });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return DEBIAN_SSL_TEST_IMAGE;
  });
}
