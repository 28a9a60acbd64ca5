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

/** Rewrites host toolchain paths inside a value to their container paths (longest dir first). */
export function toContainerPath(value: string, mounts: readonly ToolchainMount[]): string {
  let out = value;
  for (const m of [...mounts].sort((a, b) => b.hostDir.length - a.hostDir.length)) {
    out = out.split(m.hostDir).join(m.containerDir);
  }
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
