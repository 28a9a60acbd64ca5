import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeName } from '../manifest/types.js';
import { findExecutable } from './apply.js';
import type { EnvironmentDelta } from './types.js';

export type FindingStatus = 'ok' | 'warn' | 'error';

export interface Finding {
  id: string;
  status: FindingStatus;
  message: string;
  /** What to do about it (absent when status is ok). */
  fix?: string;
}

export interface DoctorInput {
  env: NodeJS.ProcessEnv;
  shims: string;
  /** Names of the shims present in the shims folder. */
  shimNames: string[];
  delta: EnvironmentDelta;
  /** The user's home, to read rc files from. */
  home: string;
}

/** The commands users type for each runtime: what a shadowing version manager would intercept. */
const MAIN_BINARIES: Record<RuntimeName, string[]> = {
  node: ['node', 'npm'],
  python: ['python3', 'python'],
  go: ['go'],
  java: ['java'],
  rust: ['cargo', 'rustc'],
};

const RC_FILES: Record<string, string> = {
  bash: '.bashrc',
  zsh: '.zshrc',
  fish: '.config/fish/config.fish',
};

export function checkActivation(input: DoctorInput): Finding {
  const hook = input.env.POLY_SHELL_HOOK;
  if (hook) return { id: 'activation', status: 'ok', message: `the ${hook} hook is active in this shell` };
  const shell = (input.env.SHELL ?? '').split('/').pop() ?? '';
  const rc = RC_FILES[shell];
  const rcFile = rc ? join(input.home, rc) : undefined;
  const inRc = rcFile && existsSync(rcFile) && readFileSync(rcFile, 'utf8').includes('poly activate');
  const onPath = pathEntries(input.env).includes(input.shims);
  if (onPath)
    return { id: 'activation', status: 'ok', message: `the shims folder is on PATH (${input.shims})` };
  if (inRc) {
    return {
      id: 'activation',
      status: 'warn',
      message: `${rcFile} loads the hook, but it is not active in this shell`,
      fix: 'Open a new terminal (or source the rc file).',
    };
  }
  const line =
    shell === 'fish'
      ? "echo 'poly activate fish | source' >> ~/.config/fish/config.fish"
      : `echo 'eval "$(poly activate ${shell === 'zsh' ? 'zsh' : 'bash'})"' >> ~/${shell === 'zsh' ? '.zshrc' : '.bashrc'}`;
  return {
    id: 'activation',
    status: 'error',
    message: 'neither the shell hook nor the shims are set up: toolchains will not follow cd',
    fix: `${line}  (or, for editors and cron, put ${input.shims} first on PATH)`,
  };
}

/** Shims only help when nothing earlier on PATH answers to the same name. */
export function checkShimsFirst(input: DoctorInput): Finding | undefined {
  const entries = pathEntries(input.env);
  const at = entries.indexOf(input.shims);
  if (at < 0 || input.env.POLY_SHELL_HOOK) return undefined;
  const before = entries.slice(0, at).join(':');
  const shadowed = input.shimNames
    .map((name) => [name, findExecutable(name, before)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
  if (shadowed.length === 0)
    return { id: 'shims-first', status: 'ok', message: 'no folder before the shims on PATH shadows them' };
  const shown = shadowed.slice(0, 4).map(([n, p]) => `${n} (${p})`);
  return {
    id: 'shims-first',
    status: 'warn',
    message: `earlier PATH entries shadow the shims: ${shown.join(', ')}${shadowed.length > 4 ? ` and ${shadowed.length - 4} more` : ''}`,
    fix: `Put the shims first: export PATH="${input.shims}:$PATH" at the end of your rc file.`,
  };
}

export function checkPinsInstalled(input: DoctorInput): Finding[] {
  if (input.delta.source === 'none') return [];
  const where = input.delta.source === 'global' ? 'the global poly.toml' : input.delta.manifestFile;
  if (input.delta.missing.length === 0) {
    return [{ id: 'pins-installed', status: 'ok', message: `every runtime pinned in ${where} is installed` }];
  }
  return input.delta.missing.map((pin) => ({
    id: 'pins-installed',
    status: 'error' as const,
    message: `${pin} (pinned in ${where}) is not installed`,
    fix: 'Run `poly install` in the project.',
  }));
}

/** Where another version manager keeps what it puts on PATH, and how to stop it winning. */
const MANAGERS: { name: string; test: RegExp; fix: string }[] = [
  {
    name: 'nvm',
    test: /\/\.nvm\//,
    fix: "Load poly's hook after nvm's lines in your rc file, or remove nvm (and `nvm alias default system`).",
  },
  {
    name: 'pyenv',
    test: /\/\.pyenv\/(shims|versions)\//,
    fix: "Load poly's hook after `pyenv init` in your rc file, or drop pyenv's shims from PATH.",
  },
  {
    name: 'rustup',
    test: /\/\.cargo\/bin\//,
    fix: "Load poly's hook after the line that adds ~/.cargo/bin to PATH (rustup's proxies would pick rustup's toolchain).",
  },
  {
    name: 'mise',
    test: /\/mise\/(shims|installs)\//,
    fix: "Remove `mise activate` (or mise's shims) from your rc file, or load poly's hook after it.",
  },
  {
    name: 'asdf',
    test: /\/\.asdf\/(shims|installs)\//,
    fix: "Remove asdf's lines from your rc file, or load poly's hook after them.",
  },
];

/**
 * Inside a project, each pinned runtime's main commands should resolve to
 * poly's toolchain (or its shim). A hit in another manager's folder is a
 * finding with that manager's fix.
 */
export function checkShadowing(input: DoctorInput): Finding[] {
  const findings: Finding[] = [];
  for (const toolchain of input.delta.toolchains) {
    for (const name of MAIN_BINARIES[toolchain.runtime]) {
      const ours = findExecutable(name, toolchain.binDirs.join(':'));
      if (!ours) continue;
      const resolved = findExecutable(name, input.env.PATH);
      if (!resolved || sameFile(resolved, ours) || resolved.startsWith(`${input.shims}/`)) continue;
      if (input.delta.venv && resolved.startsWith(`${input.delta.venv.binDir}/`)) continue;
      const manager = MANAGERS.find((m) => m.test.test(resolved));
      if (!manager && !input.env.POLY_SHELL_HOOK) continue; // not shadowing: poly is just not active (see activation)
      findings.push({
        id: 'shadowed',
        status: 'warn',
        message: `${name} resolves to ${resolved}${manager ? ` (${manager.name})` : ''}, not poly's ${toolchain.runtime} ${toolchain.version}`,
        fix:
          manager?.fix ??
          `Something puts ${resolved.slice(0, resolved.lastIndexOf('/'))} before poly's folders after the hook ran; load poly's hook last in your rc file.`,
      });
    }
  }
  if (findings.length === 0 && input.delta.toolchains.length > 0) {
    findings.push({
      id: 'shadowed',
      status: 'ok',
      message: 'no other version manager shadows the pinned runtimes here',
    });
  }
  return findings;
}

function sameFile(a: string, b: string): boolean {
  try {
    return (
      realpathSync(a) === realpathSync(b) && a.slice(0, a.lastIndexOf('/')) === b.slice(0, b.lastIndexOf('/'))
    );
  } catch {
    return false;
  }
}

function pathEntries(env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? '').split(':').filter(Boolean);
}

/**
 * The hook stays spawn-free only if poly can write the environment cache in
 * .poly/; otherwise every prompt inside the project asks poly again.
 */
export function checkCacheWritable(input: DoctorInput, writable: boolean): Finding | undefined {
  if (input.delta.source !== 'project' || !input.delta.root) return undefined;
  if (writable)
    return { id: 'env-cache', status: 'ok', message: 'the environment cache in .poly/ is writable' };
  return {
    id: 'env-cache',
    status: 'warn',
    message: `poly cannot write ${input.delta.root}/.poly/: every prompt here will start poly`,
    fix: `Make it writable: chmod u+w ${input.delta.root} (or create .poly/ there with write access).`,
  };
}
