import { delimiter, sep } from 'node:path';

/** A toolchain install dir on the host and where it is mounted (read-only) in a container. */
export interface ToolchainMount {
  runtime: string;
  version: string;
  hostDir: string;
  containerDir: string;
}

/** The PATH a Debian-based image starts with; toolchain bins go in front of it. */
export const CONTAINER_DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Where a toolchain appears inside containers: stable, whatever POLY_HOME is on the host. */
export function containerToolchainDir(runtime: string, version: string): string {
  return `/opt/poly/${runtime}/${version}`;
}

/** Host-only variables that mean nothing (or harm) inside a container. */
const HOST_ONLY = new Set([
  'PWD',
  'OLDPWD',
  'SHLVL',
  '_',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'TMP',
  'TEMP',
  'DISPLAY',
  'SSH_AUTH_SOCK',
  'DOCKER_HOST',
  'DOCKER_CERT_PATH',
  'DOCKER_TLS_VERIFY',
  'POLY_HOME',
  'POLY_CONFIG_DIR',
]);

function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** Rewrites host toolchain paths inside a value to their container paths (longest dir first). */
export function toContainerPath(value: string, mounts: readonly ToolchainMount[]): string {
  let out = value;
  for (const m of [...mounts].sort((a, b) => b.hostDir.length - a.hostDir.length)) {
    out = out.split(m.hostDir).join(m.containerDir);
  }
  return out;
}

export interface TranslateEnvOptions {
  /** The environment the service env was composed on (process.env by default); unchanged keys are host noise. */
  baseEnv: NodeJS.ProcessEnv;
  toolchains: readonly ToolchainMount[];
  /** The project folder, mounted at the same path in the container. */
  projectRoot: string;
}

/**
 * The service's environment as a container must see it. Pure.
 * - Only what poly added or changed relative to `baseEnv` goes in: the host's
 *   own variables (its HOME, its SSH agent, its DOCKER_HOST) stay outside.
 * - PATH keeps the entries inside a toolchain (translated to /opt/poly/…) or
 *   inside the project (mounted at the same path), then the image's default PATH.
 * - Every other value has host toolchain paths rewritten (JAVA_HOME, GOROOT …).
 */
export function translateEnvForContainer(
  env: Readonly<Record<string, string | undefined>>,
  opts: TranslateEnvOptions,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || key === 'PATH' || HOST_ONLY.has(key)) continue;
    if (opts.baseEnv[key] === value) continue;
    out[key] = toContainerPath(value, opts.toolchains);
  }
  const kept = (env.PATH ?? '')
    .split(delimiter)
    .filter((p) => p && (opts.toolchains.some((m) => isUnder(p, m.hostDir)) || isUnder(p, opts.projectRoot)))
    .map((p) => toContainerPath(p, opts.toolchains));
  // A toolchain whose bin dir was not on PATH still has its bin dir put there.
  for (const m of opts.toolchains) {
    const bin = `${m.containerDir}/bin`;
    if (!kept.includes(bin) && !kept.some((p) => isUnder(p, m.containerDir))) kept.push(bin);
  }
  out.PATH = [...new Set([...kept, ...CONTAINER_DEFAULT_PATH.split(':')])].join(':');
  return out;
}

/**
 * The read-only binds for the toolchains: each at /opt/poly/<runtime>/<version>
 * (what PATH and JAVA_HOME point to), and again at its host path, because
 * some files record the install's absolute path: a Python venv's
 * bin/python is a symlink to the host interpreter, and pyvenv.cfg names it.
 */
export function toolchainBinds(
  mounts: readonly ToolchainMount[],
): { source: string; target: string; readOnly: true }[] {
  return mounts.flatMap((m) =>
    m.hostDir === m.containerDir
      ? [{ source: m.hostDir, target: m.containerDir, readOnly: true as const }]
      : [
          { source: m.hostDir, target: m.containerDir, readOnly: true as const },
          { source: m.hostDir, target: m.hostDir, readOnly: true as const },
        ],
  );
}
