import { copyFileSync, linkSync, mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDocker, type DockerClient } from '../../src/core/docker/client.js';
import type { InstalledToolchain } from '../../src/core/runtimes/installed.js';

/**
 * The engine for a container test file, or why there is none. With CI=true
 * a missing engine is a failure (the CI script starts one); elsewhere the
 * tests skip and say why.
 */
export async function dockerForTests(): Promise<{ client?: DockerClient; skip: string | false }> {
  try {
    return { client: await connectDocker(process.env), skip: false };
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    const reason = `no Docker engine (${err instanceof Error ? err.message : String(err)})`;
    console.log(`# skipping container tests: ${reason}`);
    return { skip: reason };
  }
}

/** A temp dir with POLY_HOME/POLY_CONFIG_DIR inside and a project folder. realpath: /tmp may be a symlink. */
export function tempProject(prefix: string): { root: string; home: string; project: string } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), `poly-${prefix}-`)));
  const project = join(root, 'project');
  mkdirSync(project, { recursive: true });
  return { root, home: join(root, 'home'), project };
}

/**
 * A poly-style node install (installs/node/<version>/bin/node) made from the
 * node running the tests: the official archives are unreachable here, and
 * this is the same binary a poly install of that version holds.
 */
export function nodeToolchain(polyHome: string): InstalledToolchain {
  const version = process.versions.node;
  const dir = join(polyHome, 'installs', 'node', version);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  try {
    linkSync(process.execPath, join(dir, 'bin', 'node'));
  } catch {
    copyFileSync(process.execPath, join(dir, 'bin', 'node'));
  }
  return { runtime: 'node', version, dir };
}
