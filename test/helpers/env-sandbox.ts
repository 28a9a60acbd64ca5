import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SeededToolchains, seedNpmNode, seedSystemInstalls } from './seed-installs.js';

export const POLY_BIN = fileURLToPath(new URL('../../../bin/run.cjs', import.meta.url));

/** A temp POLY_HOME and POLY_CONFIG_DIR with the machine's toolchains seeded, and a place for projects. */
export interface EnvSandbox {
  dir: string;
  home: string;
  configDir: string;
  installs: string;
  seeded: SeededToolchains & { node22?: string };
  /** The environment a child poly should run with. */
  env: NodeJS.ProcessEnv;
  /** Creates <dir>/<name>/poly.toml and returns the folder. */
  project(name: string, toml: string): string;
  cleanup(): void;
}

export function createEnvSandbox(options: { node22?: boolean } = {}): EnvSandbox {
  // realpath: on some systems tmpdir is a symlink, and the hook walks the real $PWD.
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'poly-env-')));
  const home = join(dir, 'home');
  const configDir = join(dir, 'config');
  const installs = join(home, 'installs');
  mkdirSync(installs, { recursive: true });
  mkdirSync(configDir, { recursive: true });
  const seeded: EnvSandbox['seeded'] = seedSystemInstalls(installs);
  if (options.node22) {
    const v = seedNpmNode(installs, '22');
    if (v) seeded.node22 = v;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, POLY_HOME: home, POLY_CONFIG_DIR: configDir };
  delete env.POLY_SHELL_HOOK;
  return {
    dir,
    home,
    configDir,
    installs,
    seeded,
    env,
    project(name, toml) {
      const root = join(dir, name);
      mkdirSync(root, { recursive: true });
      writeFileSync(join(root, 'poly.toml'), toml);
      return root;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
