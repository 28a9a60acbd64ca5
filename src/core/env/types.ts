import type { RuntimeName } from '../manifest/types.js';

/** Where an environment comes from: the nearest poly.toml, the user's global one, or nothing. */
export type EnvironmentSource = 'project' | 'global' | 'none';

export interface ActiveToolchain {
  runtime: RuntimeName;
  version: string;
  dir: string;
  /** Absolute folders holding its executables, in PATH order. */
  binDirs: string[];
}

export interface VenvInfo {
  /** Absolute venv folder. */
  dir: string;
  /** Its bin folder, first on PATH. */
  binDir: string;
  /** The pinned Python's version the venv is (to be) built on. */
  pythonVersion: string;
}

/**
 * A project's environment as a change to apply on top of whatever the user
 * has: folders to put first on PATH, variables to set, variables to remove.
 * It depends only on files (poly.toml, the installs), never on the caller's
 * environment, which is what lets the shell hook cache it.
 */
export interface EnvironmentDelta {
  source: EnvironmentSource;
  /** Project root (the folder of poly.toml; for the global file, the config dir). */
  root?: string;
  manifestFile?: string;
  /** Absolute folders put first on PATH, in order. */
  pathPrepend: string[];
  /** Variables set (PATH excluded), in a stable order. */
  set: Record<string, string>;
  /** Variables removed (PYTHONHOME would break a venv). */
  unset: string[];
  toolchains: ActiveToolchain[];
  /** Pinned runtimes with no installed version matching, as runtime@spec. */
  missing: string[];
  venv?: VenvInfo;
  /**
   * What the toolchains and the venv set, before env_file and [env]: where a
   * service's environment starts (src/core/env/service-env). Absent in caches
   * written by older versions.
   */
  toolchainSet?: Record<string, string>;
  /** Each service's folder (absolute), so `poly exec` in one knows it without reading poly.toml. */
  serviceDirs?: Record<string, string>;
  /** The env_files read (absolute): the cache is stale once one changes. */
  envFiles?: string[];
  /** One-line messages for the user (missing runtimes, a venv created or rebuilt). */
  notices: string[];
}

export const EMPTY_DELTA: EnvironmentDelta = {
  source: 'none',
  pathPrepend: [],
  set: {},
  unset: [],
  toolchains: [],
  missing: [],
  notices: [],
};

export type ShellName = 'bash' | 'zsh' | 'fish';
export const SHELL_NAMES: readonly ShellName[] = ['bash', 'zsh', 'fish'];

export function isShellName(name: string): name is ShellName {
  return (SHELL_NAMES as readonly string[]).includes(name);
}
