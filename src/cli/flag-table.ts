import { SHELL_NAMES } from '../core/env/types.js';

/**
 * The flags of the commands bin/run.cjs also serves before oclif loads, as plain data:
 * the oclif command builds its flags from its table (oclif-flags.ts) and the fast path
 * reads argv with the same table (fast/args.ts), so the two can never accept different
 * flags. `--json` comes from the command's enableJsonFlag and `-C/--cwd` from
 * PolyCommand's base flags, on both sides.
 */
export interface FlagSpec {
  type: 'boolean' | 'string';
  summary: string;
  char?: string;
  options?: readonly string[];
  helpValue?: string;
  hidden?: boolean;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

export const EXEC_FLAGS = {
  'no-install': { type: 'boolean', summary: 'Use what is installed; do not install missing runtimes.' },
  container: {
    type: 'boolean',
    summary: "Run it in a throwaway container of the project's base image, toolchains mounted read-only.",
  },
  service: {
    type: 'string',
    summary: "Run with this service's environment (its venv, env_file, env, running peers' variables).",
    helpValue: 'name',
  },
  shim: { type: 'boolean', hidden: true, summary: 'Called by a shim: never resolve to the shims folder.' },
} as const satisfies FlagTable;

export const ENV_FLAGS = {
  shell: { type: 'string', char: 's', summary: 'Shell syntax of the lines.', options: SHELL_NAMES },
} as const satisfies FlagTable;

export const INSTALL_FLAGS = {
  frozen: {
    type: 'boolean',
    summary: 'Install exactly what poly.lock says; fail if poly.toml and poly.lock disagree.',
  },
  refresh: { type: 'boolean', summary: 'Refetch remote version indexes even when the cached copy is fresh.' },
  offline: {
    type: 'boolean',
    summary: 'Use cached indexes and installed versions only (also POLY_OFFLINE=1).',
  },
} as const satisfies FlagTable;

export const UP_FLAGS = {
  detach: {
    type: 'boolean',
    char: 'd',
    summary:
      'Run in the background and return once all services are healthy; if they already run, apply changes of poly.toml.',
  },
  container: {
    type: 'boolean',
    summary: 'Run every runtime service in a container (base_image with the pinned toolchains mounted).',
  },
  'no-tui': { type: 'boolean', summary: 'Print prefixed log lines even in a terminal.' },
} as const satisfies FlagTable;

export const DOWN_FLAGS = {
  volumes: {
    type: 'boolean',
    summary: "Also remove the project's dependency-cache volumes and its databases' data folders.",
  },
} as const satisfies FlagTable;

export const SUPERVISE_FLAGS = {
  container: { type: 'boolean', summary: 'Run every runtime service in a container.' },
  'await-go': {
    type: 'boolean',
    hidden: true,
    summary: 'Internal: wait for `go` on stdin (poly up -d starts it early); exit at EOF.',
  },
} as const satisfies FlagTable;

/** ls, ps, templates, config list: --json and -C only. */
export const NO_FLAGS = {} as const satisfies FlagTable;
