import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  goRoutes,
  javaRoutes,
  nodeRoutes,
  pythonRoutes,
  rustRoutes,
  sameArchive,
} from './official-layouts.js';
import { fakeToolchain, type TarEntry, tarGz } from './tar-writer.js';
import type { TinyDistServer } from './tiny-dist-server.js';

/** A throwaway POLY_HOME, POLY_CONFIG_DIR and project folder, with short network timeouts. */
export interface TempPoly {
  root: string;
  home: string;
  project: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function tempPoly(extraEnv: NodeJS.ProcessEnv = {}): TempPoly {
  const root = mkdtempSync(join(tmpdir(), 'poly-install-'));
  const home = join(root, 'home');
  const project = join(root, 'project');
  mkdirSync(project, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    POLY_HOME: home,
    POLY_CONFIG_DIR: join(root, 'config'),
    POLY_HTTP_TIMEOUT_MS: '2000',
    POLY_HTTP_RETRIES: '2',
    POLY_HTTP_BACKOFF_MS: '20',
    POLY_OFFLINE: '',
    ...extraEnv,
  };
  return { root, home, project, env, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function writeManifest(project: string, runtimes: string): string {
  mkdirSync(project, { recursive: true });
  const file = join(project, 'poly.toml');
  writeFileSync(file, `[project]\nname = "demo"\n\n[runtimes]\n${runtimes}\n`);
  return file;
}

export const nodeArchive = (v: string) =>
  fakeToolchain(`node-v${v}-linux-x64`, { node: `v${v}`, npm: '10.9.0' });
export const goArchive = (v: string) =>
  fakeToolchain('go', { go: `go version go${v} linux/amd64`, gofmt: '' });
export const pythonArchive = (v: string) =>
  fakeToolchain('python', { python3: `Python ${v}`, pip3: `pip 24.2 (python ${v})` });
export const javaArchive = (v: string, b: number) =>
  fakeToolchain(`jdk-${v}+${b}`, { java: `openjdk version "${v}" (build ${v}+${b})` });

/** A Rust installer tarball in the official component layout (components + manifest.in per component). */
export function rustArchive(v: string): Buffer {
  const top = `rust-${v}-x86_64-unknown-linux-gnu`;
  const std = 'rust-std-x86_64-unknown-linux-gnu';
  const sh = (out: string) => `#!/bin/sh\necho '${out}'\n`;
  const entries: TarEntry[] = [
    { type: 'file', path: `${top}/components`, content: `rustc\ncargo\n${std}\nrust-docs\n` },
    { type: 'file', path: `${top}/install.sh`, content: '#!/bin/sh\nexit 1\n', mode: 0o755 },
    { type: 'file', path: `${top}/rustc/manifest.in`, content: 'file:bin/rustc\ndir:lib/rustlib/etc\n' },
    {
      type: 'file',
      path: `${top}/rustc/bin/rustc`,
      content: sh(`rustc ${v} (f6e511eec 2024-10-15)`),
      mode: 0o755,
    },
    { type: 'file', path: `${top}/rustc/lib/rustlib/etc/gdb_load.py`, content: '#\n' },
    { type: 'file', path: `${top}/cargo/manifest.in`, content: 'file:bin/cargo\n' },
    {
      type: 'file',
      path: `${top}/cargo/bin/cargo`,
      content: sh(`cargo ${v} (8f40fc59f 2024-08-21)`),
      mode: 0o755,
    },
    {
      type: 'file',
      path: `${top}/${std}/manifest.in`,
      content: `dir:lib/rustlib/x86_64-unknown-linux-gnu/lib\n`,
    },
    {
      type: 'file',
      path: `${top}/${std}/lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd.rlib`,
      content: 'rlib',
    },
    { type: 'file', path: `${top}/rust-docs/manifest.in`, content: 'file:share/doc/rust/html/index.html\n' },
    { type: 'file', path: `${top}/rust-docs/share/doc/rust/html/index.html`, content: '<html>' },
  ];
  return tarGz(entries);
}

export const VERSIONS = {
  node: '22.11.0',
  python: '3.12.7',
  go: '1.22.7',
  java: '21.0.5',
  javaBuild: 11,
  rust: '1.82.0',
};

/** Mounts all five runtimes in their official layouts; returns the mirror variables pointing at them. */
export function mountAllRuntimes(server: TinyDistServer): NodeJS.ProcessEnv {
  const v = VERSIONS;
  server.mount(
    '/node',
    nodeRoutes([
      { version: '23.3.0', archives: sameArchive(nodeArchive('23.3.0')) },
      { version: v.node, lts: 'Jod', archives: sameArchive(nodeArchive(v.node)) },
      { version: '22.10.0', archives: sameArchive(nodeArchive('22.10.0')) },
      { version: '20.18.1', lts: 'Iron', archives: sameArchive(nodeArchive('20.18.1')) },
    ]),
  );
  server.mount(
    '/go',
    goRoutes([{ version: v.go, archives: sameArchive(goArchive(v.go)) }, { version: '1.21.13' }]),
  );
  server.mount(
    '/python',
    pythonRoutes('https://github.com/astral-sh/python-build-standalone/releases/download', [
      { version: v.python, archives: sameArchive(pythonArchive(v.python)) },
      { version: '3.11.10' },
    ]),
  );
  server.mount(
    '/java',
    javaRoutes(`${server.url}/java`, [
      {
        feature: 21,
        version: v.java,
        build: v.javaBuild,
        archives: sameArchive(javaArchive(v.java, v.javaBuild)),
      },
      { feature: 17, version: '17.0.13', build: 11 },
    ]),
  );
  server.mount(
    '/rust',
    rustRoutes(v.rust, [{ version: v.rust, archives: sameArchive(rustArchive(v.rust)) }]),
  );
  return {
    POLY_NODE_MIRROR: `${server.url}/node`,
    POLY_GO_MIRROR: `${server.url}/go`,
    POLY_PYTHON_MIRROR: `${server.url}/python`,
    POLY_PYTHON_INDEX_URL: `${server.url}/python/download-metadata.json`,
    POLY_JAVA_MIRROR: `${server.url}/java`,
    POLY_RUST_MIRROR: `${server.url}/rust`,
  };
}
